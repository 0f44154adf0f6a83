import { z } from 'zod';
import type { DomainEvent } from '../domainEvent';

/**
 * Facts of `schedule-week-<societyId>-<isoWeek>`: that a society's week was generated, and what
 * came of it. The Sunday job reads it to know a week is done; the classes themselves live on
 * their own `class-*` streams, written through the same commands as hand-made classes.
 */
export const weekScheduleGeneratedSchema = z.object({
  societyId: z.string().uuid(),
  isoWeek: z.string(),
  classIds: z.array(z.string().uuid()),
  unstaffed: z.array(z.object({ templateId: z.string().uuid(), date: z.string(), reason: z.string() })),
  solver: z.object({ method: z.string(), status: z.string(), seconds: z.number() }),
  generatedBy: z.string().nullable(),
});

export type WeekScheduleGenerated = DomainEvent<
  'WeekScheduleGenerated',
  z.infer<typeof weekScheduleGeneratedSchema>
>;
export type WeekScheduleEvent = WeekScheduleGenerated;
