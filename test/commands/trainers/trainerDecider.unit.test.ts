import { trainerDecider, type TrainerCommand } from '../../../src/commands/trainers/trainerDecider';
import type { Availability, TrainerDetails, TrainerEvent } from '../../../src/events/trainers/trainerEvents';
import { deciderSpec } from '../../support/deciderSpec';

const spec = deciderSpec(trainerDecider);
const trainerId = '22222222-2222-4222-8222-222222222222';
const details: TrainerDetails = {
  name: 'Asha',
  email: 'asha@example.com',
  phoneNumber: '+919800000000',
  specialization: ['Yoga'],
  location: { address: 'Sector 18', latitude: 28.57, longitude: 77.32 },
  maxClassesPerDay: 3,
};
const created: TrainerEvent = {
  type: 'TrainerProfileCreated',
  data: { trainerId, createdBy: null, ...details },
};
const create = (overrides: Partial<TrainerDetails> = {}): TrainerCommand => ({
  type: 'CreateTrainerProfile',
  trainerId,
  createdBy: null,
  details: { ...details, ...overrides },
});
const update = (changes: Partial<TrainerDetails>): TrainerCommand => ({
  type: 'UpdateTrainerProfile',
  trainerId,
  changes,
});
const availability: Availability = {
  weekly: [{ weekday: 'mon', start: 420, end: 540 }],
  slots: [{ date: '2026-03-03', start: 600, end: 660 }],
  unavailable: ['2026-03-09'],
};
const setAvailability = (a: Availability): TrainerCommand => ({
  type: 'SetTrainerAvailability',
  trainerId,
  availability: a,
});

describe('trainer profile', () => {
  it('is created once', () => {
    spec.given([]).when(create()).then([created]);
    spec.given([created]).when(create()).thenRefused('trainer-exists', 409);
  });

  it('needs at least one specialization and a daily limit of 1 to 10', () => {
    spec
      .given([])
      .when(create({ specialization: [] }))
      .thenRefused('invalid-trainer-profile', 400);
    spec
      .given([])
      .when(create({ maxClassesPerDay: 0 }))
      .thenRefused('invalid-trainer-profile', 400);
    spec
      .given([])
      .when(create({ maxClassesPerDay: 11 }))
      .thenRefused('invalid-trainer-profile', 400);
  });

  it('records only what an update changes', () => {
    spec
      .given([created])
      .when(update({ name: 'Asha', specialization: ['Yoga', 'Dance'] }))
      .then([
        {
          type: 'TrainerProfileUpdated',
          data: { trainerId, changes: { specialization: ['Yoga', 'Dance'] } },
        },
      ]);
    spec
      .given([created])
      .when(update({ name: 'Asha', location: details.location }))
      .then([]);
  });

  it('refuses to update a trainer who has no profile', () => {
    spec
      .given([])
      .when(update({ name: 'X' }))
      .thenRefused('trainer-not-found', 404);
  });

  it('refuses an update that breaks the profile rules', () => {
    spec
      .given([created])
      .when(update({ maxClassesPerDay: 20 }))
      .thenRefused('invalid-trainer-profile', 400);
  });
});

describe('trainer availability', () => {
  it('is replaced as a whole, and setting the same again records nothing', () => {
    const set: TrainerEvent = { type: 'TrainerAvailabilitySet', data: { trainerId, availability } };
    spec.given([created]).when(setAvailability(availability)).then([set]);
    spec.given([created, set]).when(setAvailability(availability)).then([]);
  });

  it('refuses a window that does not start before it ends', () => {
    spec
      .given([created])
      .when(setAvailability({ ...availability, weekly: [{ weekday: 'tue', start: 600, end: 600 }] }))
      .thenRefused('invalid-availability', 400);
  });

  it('refuses overlapping windows within one weekday or one date', () => {
    spec
      .given([created])
      .when(
        setAvailability({
          ...availability,
          weekly: [
            { weekday: 'mon', start: 420, end: 540 },
            { weekday: 'mon', start: 500, end: 600 },
          ],
        }),
      )
      .thenRefused('invalid-availability', 400);
    spec
      .given([created])
      .when(
        setAvailability({
          ...availability,
          slots: [
            { date: '2026-03-03', start: 600, end: 660 },
            { date: '2026-03-03', start: 630, end: 700 },
          ],
        }),
      )
      .thenRefused('invalid-availability', 400);
  });

  it('allows touching windows and the same hours on different days', () => {
    const a: Availability = {
      weekly: [
        { weekday: 'mon', start: 420, end: 540 },
        { weekday: 'mon', start: 540, end: 600 },
        { weekday: 'tue', start: 420, end: 540 },
      ],
      slots: [],
      unavailable: [],
    };
    spec
      .given([created])
      .when(setAvailability(a))
      .then([{ type: 'TrainerAvailabilitySet', data: { trainerId, availability: a } }]);
  });

  it('refuses to set availability for a trainer who has no profile', () => {
    spec.given([]).when(setAvailability(availability)).thenRefused('trainer-not-found', 404);
  });
});
