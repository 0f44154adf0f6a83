import type { z } from 'zod';
import type { TemplateDetails } from '../../events/schedules/scheduleTemplateEvents';
import type { ScheduleTemplateRow } from '../../projections/schedules/scheduleTemplateQueries';
import { HttpProblem } from '../http/errorHandler';
import type { templateChangesBody } from './scheduleSchemas';

/**
 * A PATCH speaks of a start and a duration, the template of a start and an end: a change to
 * either one moves the end, so the other is taken from the template as it stands. The merged
 * class must still end by midnight.
 */
export const templateChanges = (
  current: Pick<ScheduleTemplateRow, 'start_minute' | 'end_minute'>,
  body: z.infer<typeof templateChangesBody>,
): Partial<TemplateDetails> => {
  const start = body.start_time ?? current.start_minute;
  const duration = body.duration_minutes ?? current.end_minute - current.start_minute;
  if (start + duration > 1440)
    throw new HttpProblem(
      400,
      'invalid-class-times',
      'Class times fall within one day',
      'The class ends by midnight.',
    );
  const timesChanged = body.start_time !== undefined || body.duration_minutes !== undefined;
  return {
    name: body.name,
    weekday: body.weekday,
    start: timesChanged ? start : undefined,
    end: timesChanged ? start + duration : undefined,
    classType: body.class_type,
    maxMembers: body.max_members,
    preferredTrainerId: body.preferred_trainer_id,
  };
};
