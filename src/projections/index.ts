import type { ProjectionDefinition } from './engine/projection';
import { billingProjection } from './billing/billingProjection';
import { usersProjection } from './identity/usersProjection';
import { membersProjection } from './members/membersProjection';
import { societiesProjection } from './societies/societiesProjection';
import { societyAdminsProjection } from './societies/societyAdminsProjection';
import { trainerDaySlotsProjection } from './trainers/trainerDaySlotsProjection';
import { trainersProjection } from './trainers/trainersProjection';
import { classesProjection } from './classes/classesProjection';
import { bookingsProjection } from './booking/bookingsProjection';
import { notificationsProjection } from './notifications/notificationsProjection';
import { scheduleTemplatesProjection } from './schedules/scheduleTemplatesProjection';

/** Every read model the service keeps, in one list the engine and the rebuild CLI share. */
export const allProjections: readonly ProjectionDefinition[] = [
  societiesProjection,
  societyAdminsProjection,
  usersProjection,
  membersProjection,
  billingProjection,
  trainersProjection,
  trainerDaySlotsProjection,
  classesProjection,
  bookingsProjection,
  notificationsProjection,
  scheduleTemplatesProjection,
];
