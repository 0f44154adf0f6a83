import type { ContractExample } from '../contractExample';
import { activityExamples } from './activities';
import { authExamples } from './auth';
import { billingExamples } from './billing';
import { bookingExamples } from './bookings';
import { eventExamples } from './events';
import { jobExamples } from './jobs';
import { memberExamples } from './members';
import { notificationExamples } from './notifications';
import { societyExamples } from './societies';
import { trainerExamples } from './trainers';

/** Every documented example, by module. */
export const examplesByModule: Record<string, ContractExample[]> = {
  auth: authExamples,
  societies: societyExamples,
  members: memberExamples,
  trainers: trainerExamples,
  events: eventExamples,
  billing: billingExamples,
  bookings: bookingExamples,
  notifications: notificationExamples,
  jobs: jobExamples,
  activities: activityExamples,
};

export const allExamples: ContractExample[] = Object.values(examplesByModule).flat();
