import { z } from '../openapi/zod';

export const asOfQuery = z.strictObject({
  as_of: z
    .string()
    .datetime({ offset: true })
    .optional()
    .openapi({ description: 'Show the facts up to this instant and the state they fold to (ISO 8601)' }),
});

export const factSchema = z
  .object({
    position: z.string().openapi({ description: '`$all` position, `<commit>/<prepare>`' }),
    stream_id: z.string(),
    revision: z.number().int(),
    event_id: z.string().uuid(),
    type: z.string(),
    occurred_at: z.string().datetime(),
    actor: z.unknown().openapi({ description: 'Who: `{id, role}` of the caller, or null for the system' }),
    command_id: z.string().nullable(),
    correlation_id: z.string().nullable(),
    causation_id: z.string().nullable(),
    data: z.unknown().openapi({
      description:
        'The fact’s data: keys in snake_case in a history; as recorded (what the hash covers) in the trail and its export',
    }),
    hash: z.string().nullable().openapi({ description: 'The stream’s hash chain at this fact' }),
  })
  .openapi('AuditFact');

export const historySchema = z
  .object({
    id: z.string().uuid(),
    as_of: z.string().datetime().nullable(),
    facts: z.array(factSchema),
    state: z.unknown().optional().openapi({
      description: 'With `as_of`: the state folded from the facts up to then (keys in snake_case)',
    }),
  })
  .openapi('AuditHistory');

const csv = z
  .string()
  .max(2000)
  .transform((s) =>
    s
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  );

export const auditTrailQuery = z.strictObject({
  type: csv.optional().openapi({ description: 'Event types, comma-separated' }),
  stream: z
    .string()
    .max(300)
    .optional()
    .openapi({ description: 'A stream id, or a prefix ending in `*` (`class-*`)' }),
  society_id: z.string().uuid().optional(),
  from: z.string().datetime({ offset: true }).optional().openapi({ description: 'Inclusive' }),
  to: z.string().datetime({ offset: true }).optional().openapi({ description: 'Exclusive' }),
  after: z
    .string()
    .regex(/^\d{1,20}\/\d{1,20}$/)
    .optional()
    .openapi({ description: 'Cursor: the `next_cursor` of the previous page' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const auditExportQuery = auditTrailQuery.omit({ limit: true });

export const auditTrailSchema = z
  .object({ events: z.array(factSchema), next_cursor: z.string().nullable() })
  .openapi('AuditTrail');

export const chainReportSchema = z
  .object({
    ok: z.boolean(),
    events_checked: z.number().int(),
    streams_checked: z.number().int(),
    broken_links: z.array(
      z.object({
        stream_id: z.string(),
        revision: z.number().int(),
        event_id: z.string(),
        reason: z.enum(['missing-hash', 'revision-gap', 'hash-mismatch']),
        expected: z.string(),
        found: z.string(),
      }),
    ),
    head_digest: z.string().nullable().openapi({ description: 'null until a walk has finished' }),
    verified_through: z
      .string()
      .openapi({ description: 'The $all position checked up to ("-1/-1": none yet)' }),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable().openapi({ description: 'null while a walk is under way' }),
  })
  .openapi('HashChainReport');

export const chainVerificationQuery = z.strictObject({
  from_start: z.enum(['true', 'false']).optional().openapi({
    description: 'Walk the whole log again rather than only what was appended since the last walk',
  }),
});

export const createAuditorBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    email: z.string().trim().email().max(320),
    password: z.string().min(12).max(200),
  })
  .openapi('CreateAuditor');

export const auditorSchema = z
  .object({ id: z.string().uuid(), name: z.string(), email: z.string(), role: z.literal('auditor') })
  .openapi('Auditor');

export const erasureSchema = z
  .object({
    subject_id: z.string().uuid(),
    key_deleted: z.boolean().openapi({ description: 'False when erased before' }),
    rows_scrubbed: z.number().int(),
    read_side_caught_up: z.boolean(),
    columns_not_scrubbed: z
      .array(z.string())
      .openapi({ description: 'Where a replacement would have broken a unique index (left as it was)' }),
  })
  .openapi('Erasure');
