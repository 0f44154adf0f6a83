import autocannon from 'autocannon';

/**
 * A fixed number of requests through autocannon, timed to the LAST answer. autocannon's own
 * `duration` runs on to its next whole-second tick (it samples once a second), so 400 answers in
 * 1.1 s and in 1.9 s would both read 200/s; a fixed-count rate divides by this wall time instead.
 * Reads that run for a fixed time can use autocannon's duration (it is exact there).
 */
export interface FixedCountRow {
  requests: number;
  /** requests ÷ `seconds`. */
  rps: number;
  /** From the first request's start to the last answer. */
  seconds: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
}

export interface FixedRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export const statusesOf = (result: autocannon.Result): Record<string, number> =>
  Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0]));

export const answered = (result: autocannon.Result): number =>
  result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];

/** Runs `count` requests on `connections` keep-alive connections, the i-th built by `nth(i)`. */
export const fixedCount = async (
  origin: string,
  count: number,
  connections: number,
  nth: (i: number) => FixedRequest,
  onAnswer: (i: number, status: number, body: string) => void = () => undefined,
): Promise<FixedCountRow> => {
  // autocannon reads `amount: 0` as "no limit": nothing to send is an empty row.
  if (count === 0)
    return { requests: 0, rps: 0, seconds: 0, p50: 0, p99: 0, non2xx: 0, errors: 0, statuses: {} };
  let next = 0;
  const t0 = performance.now();
  let last = t0;
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: origin,
        // autocannon refuses more connections than requests.
        connections: Math.min(connections, count),
        amount: count,
        requests: [
          {
            // One request in flight per connection: its context holds the index until the answer.
            setupRequest: (req, context: object) => {
              const i = next++;
              (context as { i?: number }).i = i;
              return i < count ? { ...req, ...nth(i) } : req;
            },
            onResponse: (status, body, context: object) =>
              onAnswer((context as { i: number }).i, status, body),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  instance!.on('response', () => {
    last = performance.now();
  });
  const result = await done;
  const requests = answered(result);
  const seconds = (last - t0) / 1000;
  return {
    requests,
    rps: seconds > 0 ? requests / seconds : 0,
    seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    statuses: statusesOf(result),
  };
};
