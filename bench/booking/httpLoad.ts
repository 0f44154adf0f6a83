/**
 * The HTTP load generator, in a process of its own (forked by index.ts): the clients of a booking
 * service are not inside it. Run in the service's process, building and parsing 200 requests took
 * the same thread the service answers on, and showed up as 750 ms of the service's "latency".
 */
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
}

export interface LoadReport {
  readonly seconds: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly statuses: Record<string, number>;
}

const run = async ({ base, requests, concurrency }: LoadOrder): Promise<LoadReport> => {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, requests.length) }, async () => {
      while (next < requests.length) {
        const { path, token, body } = requests[next++]!;
        const t0 = performance.now();
        const res = await fetch(`${base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), statuses };
};

process.on('message', (order: LoadOrder) => {
  run(order).then(
    (report) => process.send!(report),
    (error: unknown) => process.send!({ error: String(error) }),
  );
});
