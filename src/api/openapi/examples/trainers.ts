import type { ContractExample } from '../contractExample';

const PROFILE = {
  id: 'string',
  name: 'string',
  specialization: 'string',
  location: 'string',
  max_classes_per_day: 'number',
  created_at: 'string',
  updated_at: 'string',
};

/** Trainers: profiles, availability, assignment and their classes. */
export const trainerExamples: ContractExample[] = [
  {
    name: 'trainers: add a trainer',
    section: 'trainer design, create API (the society admin adds trainers)',
    role: 'society_admin',
    method: 'POST',
    path: '/trainers',
    body: {
      name: 'Jane Doe',
      email: '{email}',
      phone_number: '{phone}',
      specialization: 'Yoga',
      location: 'Society A',
      max_classes_per_day: 3,
    },
    expectedStatus: '2xx',
    responseShape: PROFILE,
  },
  {
    name: 'trainers: read a trainer profile',
    section: 'trainer design, read API',
    role: 'society_admin',
    method: 'GET',
    path: '/trainers/{trainer_id}',
    expectedStatus: '2xx',
    responseShape: { ...PROFILE, email: 'string', phone_number: 'string' },
    // The admin reads a trainer who teaches in their society (the product shows contact details then).
    given: { trainerAssigned: true },
  },
  {
    name: 'trainers: set availability for a day',
    section: 'trainer design, availability API (the trainer sets their own)',
    role: 'trainer',
    method: 'POST',
    path: '/trainers/{trainer_id}/availability',
    body: { event_date: '{date}', available_slots: ['10:00 AM - 11:00 AM', '2:00 PM - 3:00 PM'] },
    expectedStatus: '2xx',
    responseShape: { id: 'string', event_date: 'string', available_slots: ['string'], updated_at: 'string' },
  },
  {
    name: 'trainers: assign a trainer to an event',
    section: 'trainer design, assign API',
    role: 'society_admin',
    method: 'POST',
    path: '/trainers/{trainer_id}/assign',
    body: { event_id: '{event_id}' },
    expectedStatus: '2xx',
    responseShape: { trainer_id: 'string', event_id: 'string', assigned_at: 'string' },
  },
  {
    name: 'trainers: events of a trainer',
    section: 'trainer design, events API',
    role: 'trainer',
    method: 'GET',
    path: '/trainers/{trainer_id}/events',
    expectedStatus: '2xx',
    // The design wraps the list ({"events": [...]}); the API contract shows a bare array, which we
    // answer (items carry both id/event_id and date/event_date). docs/spec-differences.md, row "lists of classes, bookings, trainers and activities".
    responseShape: [
      { id: 'string', name: 'string', date: 'string', start_time: 'string', end_time: 'string' },
    ],
    given: { trainerAssigned: true },
  },
  {
    name: 'contract: add a trainer',
    section: 'API contract, trainers',
    role: 'society_admin',
    method: 'POST',
    path: '/trainers',
    body: { name: 'Jane Smith', email: '{email}', phone_number: '{phone}', specialization: 'Yoga' },
    expectedStatus: 201,
    responseShape: {},
  },
  {
    name: 'contract: events of a trainer',
    section: 'API contract, trainers (a bare JSON array)',
    role: 'trainer',
    method: 'GET',
    path: '/trainers/{trainer_id}/events',
    expectedStatus: '2xx',
    responseShape: [
      {
        event_id: 'string',
        name: 'string',
        event_date: 'string',
        start_time: 'string',
        end_time: 'string',
      },
    ],
    given: { trainerAssigned: true },
  },
  {
    name: 'breakdown: participants of a trainer’s event',
    section: 'API breakdown, trainer operations (no example body)',
    role: 'trainer',
    method: 'GET',
    path: '/trainers/{trainer_id}/participants/{event_id}',
    expectedStatus: '2xx',
    // No example body: a bare array, as every list of the API.
    responseShape: [{ member_id: 'string', name: 'string' }],
    given: { trainerAssigned: true, booking: true },
  },
];
