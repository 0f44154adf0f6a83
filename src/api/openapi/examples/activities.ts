import type { ContractExample } from '../contractExample';

/**
 * The updated event design: an event with an ordered list of activities. Its paths are written
 * `/api/events…` in the design; they are taken here as relative to our API base.
 */
export const activityExamples: ContractExample[] = [
  {
    name: 'activities: create an event with duration and location',
    section: 'updated event design, create event',
    role: 'society_admin',
    method: 'POST',
    path: '/events',
    body: {
      name: 'Yoga Workshop',
      date: '{instant}',
      duration: 120,
      location: 'Community Hall',
      trainer_id: '{trainer_id}',
    },
    expectedStatus: '2xx',
    responseShape: { id: 'string', status: 'string' },
  },
  {
    name: 'activities: add an activity to an event',
    section: 'updated event design, add activity',
    role: 'society_admin',
    method: 'POST',
    path: '/events/{event_id}/activities',
    body: {
      order: 1,
      name: 'Warm-up Session',
      duration: 15,
      description: 'Light stretching and breathing exercises',
      tracks: ['warmup_song1.mp3', 'calm_music.mp3'],
      media_url: 'https://example.com/warmup-guide.pdf',
    },
    expectedStatus: '2xx',
    responseShape: { id: 'string', status: 'string' },
  },
  {
    name: 'activities: list an event’s activities',
    section: 'updated event design, get activities',
    role: 'member',
    method: 'GET',
    path: '/events/{event_id}/activities',
    expectedStatus: '2xx',
    // The design wraps the list ({"event_id", "activities": [...]}); we answer the bare array (the
    // event is the one in the path). docs/spec-differences.md, row "lists of classes, bookings, trainers and activities".
    responseShape: [
      {
        order: 'number',
        name: 'string',
        duration: 'number',
        description: 'string',
        tracks: ['string'],
        media_url: 'string',
      },
    ],
    given: { activity: true },
  },
  {
    name: 'activities: move an activity',
    section: 'updated event design, update activity order',
    role: 'society_admin',
    method: 'PUT',
    path: '/events/{event_id}/activities/{activity_id}',
    body: { order: 2 },
    expectedStatus: '2xx',
    responseShape: { message: 'string' },
    given: { activity: true },
  },
];
