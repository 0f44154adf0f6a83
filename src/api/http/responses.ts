import { z } from '../openapi/zod';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
  })
  .catchall(z.unknown())
  .openapi('Problem');

/** OpenAPI entries for the problem documents a route may answer with. */
export const problems = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: 'Problem document', content: { 'application/problem+json': { schema: problemSchema } } },
    ]),
  );

/** An OpenAPI JSON response entry. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
