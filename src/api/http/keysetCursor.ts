import { z } from '../openapi/zod';
import { HttpProblem } from './errorHandler';

/**
 * Keyset pagination on (created_at, id), the order every listing uses: stable under inserts,
 * cheap at any depth. The cursor is opaque to clients (base64url of the last row's key).
 */
export const encodeCursor = (row: { created_at: Date; id: string }): string =>
  Buffer.from(JSON.stringify([row.created_at.toISOString(), row.id])).toString('base64url');

export const decodeCursor = (cursor: string): { createdAt: Date; id: string } => {
  try {
    const [createdAt, id] = z
      .tuple([z.string().datetime(), z.string().uuid()])
      .parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAt: new Date(createdAt), id };
  } catch {
    throw new HttpProblem(
      400,
      'validation-error',
      'The request is not valid',
      'cursor is not one this API returned',
    );
  }
};
