import type { ContractExample } from '../contractExample';

/** Bookings: making, cancelling and listing them, and the waitlist. */
export const bookingExamples: ContractExample[] = [
  {
    name: 'bookings: book an event',
    section: 'booking design, create API',
    role: 'member',
    method: 'POST',
    path: '/bookings',
    body: { member_id: '{member_id}', event_id: '{event_id}' },
    expectedStatus: '2xx',
    responseShape: {
      id: 'string',
      member_id: 'string',
      event_id: 'string',
      booking_date: 'string',
      status: 'string',
      created_at: 'string',
      updated_at: 'string',
    },
  },
  {
    name: 'bookings: cancel a booking',
    section: 'booking design, cancel API',
    role: 'member',
    method: 'DELETE',
    path: '/bookings/{booking_id}',
    expectedStatus: '2xx',
    responseShape: { id: 'string', status: 'string', updated_at: 'string' },
    given: { booking: true },
  },
  {
    name: 'bookings: a member’s bookings',
    section: 'booking design, bookings of a member API',
    role: 'member',
    method: 'GET',
    path: '/bookings/{member_id}',
    expectedStatus: '2xx',
    // The design wraps the list ({"bookings": [...]}); we answer the bare array.
    // docs/spec-differences.md, row "lists of classes, bookings, trainers and activities".
    responseShape: [{ id: 'string', event_id: 'string', booking_date: 'string', status: 'string' }],
    given: { booking: true },
  },
  {
    name: 'bookings: an event’s bookings',
    section: 'booking design, bookings of an event API',
    role: 'society_admin',
    method: 'GET',
    path: '/bookings/event/{event_id}',
    expectedStatus: '2xx',
    // The design wraps the list ({"bookings": [...]}); we answer the bare array.
    // docs/spec-differences.md, row "lists of classes, bookings, trainers and activities".
    responseShape: [{ id: 'string', member_id: 'string', booking_date: 'string', status: 'string' }],
    given: { booking: true },
  },
  {
    name: 'bookings: an event’s waitlist',
    section: 'booking design, waitlist API',
    role: 'society_admin',
    method: 'GET',
    path: '/events/{event_id}/waitlist',
    expectedStatus: '2xx',
    // The design wraps the list ({"waitlist": [...]}); we answer the bare array.
    // docs/spec-differences.md, row "lists of classes, bookings, trainers and activities".
    responseShape: [{ id: 'string', member_id: 'string', status: 'string' }],
    given: { waitlisted: true },
  },
  {
    name: 'contract: book an event',
    section: 'API contract, bookings',
    role: 'member',
    method: 'POST',
    path: '/bookings',
    body: { member_id: '{member_id}', event_id: '{event_id}' },
    expectedStatus: 201,
    responseShape: {},
  },
  {
    name: 'contract: booking an unknown event is refused',
    section: 'API contract, bookings (400 for an invalid event)',
    role: 'member',
    method: 'POST',
    path: '/bookings',
    body: { member_id: '{member_id}', event_id: '{unknown_id}' },
    expectedStatus: 400,
    responseShape: {},
  },
  {
    name: 'contract: cancel a booking',
    section: 'API contract, bookings',
    role: 'member',
    method: 'DELETE',
    path: '/bookings/{booking_id}',
    expectedStatus: 200,
    responseShape: {},
    given: { booking: true },
  },
  {
    name: 'contract: cancelling an unknown booking is 404',
    section: 'API contract, bookings (404 when the booking does not exist)',
    role: 'member',
    method: 'DELETE',
    path: '/bookings/{unknown_id}',
    expectedStatus: 404,
    responseShape: {},
  },
];
