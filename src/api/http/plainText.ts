import { z } from '../openapi/zod';

/**
 * A line of text a person typed (a name, a location, a reason): trimmed, not empty, at most `max`
 * characters, and no control characters — they have no place in a name and are how log lines and
 * CSV exports are forged.
 */
export const plainText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');
