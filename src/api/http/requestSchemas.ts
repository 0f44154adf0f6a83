import { z } from '../openapi/zod';

/**
 * Path and query pieces every capability's routes share, defined once so a path parameter or a
 * paging rule reads the same on every route (and in the OpenAPI document).
 */
export const uuid = z.string().uuid();

/** `/{id}`: the one path parameter most routes have. */
export const idParams = z.strictObject({ id: uuid });

/** `/{member_id}`: routes under a member named by that parameter. */
export const memberIdParams = z.strictObject({ member_id: uuid });

/** `?min_position=`: the read waits until the read side has reached it (see readYourWrites.ts). */
export const minPosition = z
  .string()
  .max(50)
  .optional()
  .openapi({ description: 'Wait until the read side has reached this position' });

/** Keyset paging: at most `limit` rows after `cursor`. */
export const pageFields = {
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional().openapi({ description: 'next_cursor of the previous page' }),
};

export const pageQuery = z.strictObject({ ...pageFields, min_position: minPosition });

export const readQuery = z.strictObject({ min_position: minPosition });
