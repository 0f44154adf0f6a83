/**
 * The HTTP load generator, in a process of its own (forked by index.ts): the clients of a booking
 * service are not inside it. Run in the service's process, building and parsing 200 requests took
 * the same thread the service answers on, and showed up as 750 ms of the service's "latency".
 *
 * Requests go over keep-alive connections opened before the clock starts, as they arrive from the
 * reverse proxy a service runs behind, and through `node:http` rather than `fetch`: on two shared
 * cores, fetch's own per-request work was most of what the clients measured on the hot class.
 */
import http from 'node:http';
import { percentile } from '../store/timing';

export interface LoadRequest {
  readonly path: string;
  readonly token: string;
  readonly body: unknown;
}

export interface LoadOrder {
  readonly base: string;
  readonly requests: readonly LoadRequest[];
  readonly concurrency: number;
  /** `kept` (default): one keep-alive connection per client, opened before the clock starts; `new`: each client connects on the clock. */
  readonly connections?: 'kept' | 'new';
}

export interface LoadReport {
  readonly seconds: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly statuses: Record<string, number>;
}

const send = (
  agent: http.Agent,
  url: URL,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  body?: string,
): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = http.request(url, { agent, method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });

const run = async ({ base, requests, concurrency, connections = 'kept' }: LoadOrder): Promise<LoadReport> => {
  const clients = Math.min(concurrency, requests.length);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  try {
    // One connection per client, open before the clock starts.
    if (connections === 'kept')
      await Promise.all(
        Array.from({ length: clients }, () => send(agent, new URL('/health', base), 'GET', {})),
      );
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < requests.length) {
          const { path, token, body } = requests[next++]!;
          const payload = JSON.stringify(body);
          const t0 = performance.now();
          const status = await send(
            agent,
            new URL(`${base}${path}`),
            'POST',
            {
              'content-type': 'application/json',
              'content-length': String(Buffer.byteLength(payload)),
              authorization: `Bearer ${token}`,
            },
            payload,
          );
          latencies.push(performance.now() - t0);
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return { seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), statuses };
  } finally {
    agent.destroy();
  }
};

process.on('message', (order: LoadOrder) => {
  run(order).then(
    (report) => process.send!(report),
    (error: unknown) => process.send!({ error: String(error) }),
  );
});
