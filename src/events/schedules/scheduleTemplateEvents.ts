import { z } from 'zod';
import type { DomainEvent } from '../domainEvent';
import { WEEKDAYS } from '../trainers/trainerEvents';

/**
 * Facts of `schedule-templates-<societyId>`: the society's recurring weekly class slots, from
 * which the generator makes each week's classes. Times are minutes since midnight, wall-clock
 * local to the society, so a slot keeps its local time across a daylight-saving change.
 */
export const templateDetailsSchema = z.object({
  name: z.string(),
  weekday: z.enum(WEEKDAYS),
  start: z.number().int(),
  end: z.number().int(),
  classType: z.string(),
  maxMembers: z.number().int(),
  preferredTrainerId: z.string().uuid().nullable(),
});
export type TemplateDetails = z.infer<typeof templateDetailsSchema>;

export const scheduleTemplateAddedSchema = templateDetailsSchema.extend({
  societyId: z.string().uuid(),
  templateId: z.string().uuid(),
  addedBy: z.string().nullable(),
});
export const scheduleTemplateChangedSchema = z.object({
  societyId: z.string().uuid(),
  templateId: z.string().uuid(),
  changes: templateDetailsSchema.partial(),
});
export const scheduleTemplateRemovedSchema = z.object({
  societyId: z.string().uuid(),
  templateId: z.string().uuid(),
  removedBy: z.string().nullable(),
});

export type ScheduleTemplateAdded = DomainEvent<
  'ScheduleTemplateAdded',
  z.infer<typeof scheduleTemplateAddedSchema>
>;
export type ScheduleTemplateChanged = DomainEvent<
  'ScheduleTemplateChanged',
  z.infer<typeof scheduleTemplateChangedSchema>
>;
export type ScheduleTemplateRemoved = DomainEvent<
  'ScheduleTemplateRemoved',
  z.infer<typeof scheduleTemplateRemovedSchema>
>;
export type ScheduleTemplateEvent = ScheduleTemplateAdded | ScheduleTemplateChanged | ScheduleTemplateRemoved;
