import type { IncomingMessage } from 'node:http';

/**
 * The bytes a JSON body arrived as. A webhook's signature is over these bytes, and re-serialising
 * the parsed object would not reproduce them (key order, spacing, number spelling).
 */
const RAW_BODY = Symbol.for('arcfit.rawBody');

/** `verify` hook for express.json: keeps the raw bytes beside the parsed body. */
export const keepRawBody = (req: IncomingMessage, _res: unknown, buffer: Buffer): void => {
  (req as IncomingMessage & { [RAW_BODY]?: Buffer })[RAW_BODY] = buffer;
};

export const rawBodyOf = (req: IncomingMessage): Buffer | undefined =>
  (req as IncomingMessage & { [RAW_BODY]?: Buffer })[RAW_BODY];
