import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import type { LoadOrder, LoadReport } from '../booking/httpLoad';

/**
 * One measured row on one side: requests per second, latency, statuses, statements per request.
 * Reads run for a fixed time (autocannon's duration is exact there). Writes run a fixed number of
 * requests, and their rate is count ÷ wall time to the LAST answer: autocannon's own duration runs
 * on to its next whole second (400 answers in 1.1 s or in 1.9 s would both read 200/s).
 */
export interface Measured {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  statementsPerRequest: number;
}

const statusesOf = (result: autocannon.Result) =>
  Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0]));

const answered = (result: autocannon.Result) =>
  result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];

const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

/** GET `path` for `seconds` on `connections` keep-alive connections. */
export const readRow = async (
  origin: string,
  path: string,
  token: string | undefined,
  seconds: number,
  connections: number,
) => {
  const result = await autocannon({
    url: origin,
    connections,
    duration: seconds,
    requests: [{ method: 'GET', path, headers: token ? bearer(token) : {} }],
  });
  const requests = answered(result);
  return {
    requests,
    rps: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    statuses: statusesOf(result),
  };
};

/** Runs `count` requests, the i-th built by `nth(i)`; the rate is count ÷ time to the last answer. */
const fixedCount = async (
  origin: string,
  count: number,
  connections: number,
  nth: (i: number) => {
    method: 'POST' | 'DELETE';
    path: string;
    headers: Record<string, string>;
    body?: string;
  },
  onAnswer: (i: number, status: number, body: string) => void,
) => {
  let next = 0;
  const t0 = performance.now();
  let last = t0;
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: origin,
        connections,
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
  return {
    requests,
    rps: requests / ((last - t0) / 1000),
    p50: result.latency.p50,
    p99: result.latency.p99,
    statuses: statusesOf(result),
  };
};

export interface Booked {
  id: string;
  token: string;
}

/** POST /bookings by the society admin for each (class, member), each with its own Idempotency-Key. */
export const bookRow = (
  origin: string,
  bookings: { token: string; classId: string; memberId: string }[],
  connections: number,
  booked: Booked[],
) =>
  fixedCount(
    origin,
    bookings.length,
    connections,
    (i) => ({
      method: 'POST',
      path: '/api/v1/bookings',
      headers: { ...bearer(bookings[i]!.token), 'idempotency-key': randomUUID() },
      body: JSON.stringify({ event_id: bookings[i]!.classId, member_id: bookings[i]!.memberId }),
    }),
    (i, status, body) => {
      if (status === 201 || status === 202)
        booked.push({ id: (JSON.parse(body) as { id: string }).id, token: bookings[i]!.token });
    },
  );

/** DELETE /bookings/{id} of each booking made, by the admin who made it. */
export const cancelRow = (origin: string, booked: Booked[], connections: number) =>
  fixedCount(
    origin,
    booked.length,
    connections,
    (i) => ({
      method: 'DELETE',
      path: `/api/v1/bookings/${booked[i]!.id}`,
      headers: bearer(booked[i]!.token),
    }),
    () => undefined,
  );

/** A batch of bookings from the load-generator process (bench/booking/httpLoad.ts): wall time of the batch. */
export const stormRow = (loader: ChildProcess, order: LoadOrder) =>
  new Promise<Omit<Measured, 'statementsPerRequest'>>((resolve, reject) => {
    loader.once('message', (message: LoadReport | { error: string }) => {
      if ('error' in message) return reject(new Error(message.error));
      resolve({
        requests: order.requests.length,
        rps: order.requests.length / message.seconds,
        p50: message.p50Ms,
        p99: message.p99Ms,
        statuses: message.statuses,
      });
    });
    loader.send(order);
  });

/** A list answer's items, whether the API answers a bare array or an object envelope around one. */
export const itemsOf = (body: unknown): unknown[] | undefined => {
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object')
    return Object.values(body).find(Array.isArray) as unknown[] | undefined;
  return undefined;
};
