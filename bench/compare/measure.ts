import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import type { LoadOrder, LoadReport } from '../booking/httpLoad';
import { answered, fixedCount, statusesOf } from '../support/fixedCount';

/**
 * One measured row on one side: requests per second, latency, statuses, statements per request.
 * Reads run for a fixed time (autocannon's duration is exact there). Writes run a fixed number of
 * requests, and their rate is count ÷ wall time to the LAST answer (../support/fixedCount.ts).
 */
export interface Measured {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  statementsPerRequest: number;
}

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
