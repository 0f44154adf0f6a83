import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { adminWithSociety, signUp, superAdmin, uniquePhone, type Actor } from '../support/actors';
import { startTestApp, TEST_METRICS_TOKEN, type TestApp } from '../support/testApp';

/**
 * Every route of the API, called by every kind of caller. `allowed` means the route let the
 * caller in (whatever the business answer); 401 and 403 mean it did not. A route added without
 * a row here fails the first test. The README's permission table is this table.
 */
type ActorName = 'anonymous' | 'memberA' | 'memberB' | 'trainer' | 'adminX' | 'adminY' | 'superAdmin';
type Expected = 'allowed' | 401 | 403 | 404;

interface Context {
  actors: Record<Exclude<ActorName, 'anonymous'>, Actor>;
  societyX: string;
  /** Society Y, adminY's: for what adminX may not see. */
  societyY: string;
  bystander: string;
  /** A class in society X taught by the matrix's trainer, and a spare one for the cancel row. */
  classX?: string;
  spareClassX?: string;
  /** A subscription plan of society X (billing rows). */
  planX?: string;
}

interface MatrixRow {
  call: (ctx: Context) => { path: string; body?: unknown };
  expect: Record<ActorName, Expected>;
}

const everyone: Record<ActorName, Expected> = {
  anonymous: 'allowed',
  memberA: 'allowed',
  memberB: 'allowed',
  trainer: 'allowed',
  adminX: 'allowed',
  adminY: 'allowed',
  superAdmin: 'allowed',
};
const signedIn: Record<ActorName, Expected> = { ...everyone, anonymous: 401 };
const superAdminOnly: Record<ActorName, Expected> = {
  anonymous: 401,
  memberA: 403,
  memberB: 403,
  trainer: 403,
  adminX: 403,
  adminY: 403,
  superAdmin: 'allowed',
};

/** Member A's own data: A, the admin of A's society and super admins; anyone else is told it does not exist. */
const ownMemberRecord: Record<ActorName, Expected> = {
  anonymous: 401,
  memberA: 'allowed',
  memberB: 404,
  trainer: 404,
  adminX: 'allowed',
  adminY: 404,
  superAdmin: 'allowed',
};

export const matrix: Record<string, MatrixRow> = {
  'POST /api/v1/auth/signup': {
    call: () => ({
      path: '/api/v1/auth/signup',
      body: {
        role: 'society_admin',
        name: 'N',
        email: `m-${randomUUID()}@example.com`,
        phone_number: uniquePhone(),
        password: 'long enough pw',
      },
    }),
    expect: everyone,
  },
  'POST /api/v1/auth/login': {
    call: (ctx) => ({
      path: '/api/v1/auth/login',
      body: { email: ctx.actors.trainer.email, password: ctx.actors.trainer.password },
    }),
    expect: everyone,
  },
  'POST /api/v1/auth/refresh': {
    call: () => ({ path: '/api/v1/auth/refresh', body: { refresh_token: 'x'.repeat(43) } }),
    expect: everyone,
  },
  'POST /api/v1/auth/logout': {
    call: () => ({ path: '/api/v1/auth/logout', body: { refresh_token: 'x'.repeat(43) } }),
    expect: everyone,
  },
  'GET /api/v1/auth/me': { call: () => ({ path: '/api/v1/auth/me' }), expect: signedIn },
  'POST /api/v1/auth/otp/request': { call: () => ({ path: '/api/v1/auth/otp/request' }), expect: signedIn },
  'POST /api/v1/auth/otp/verify': {
    call: () => ({ path: '/api/v1/auth/otp/verify', body: { code: '123456' } }),
    expect: signedIn,
  },
  'POST /api/v1/users/{id}/status': {
    call: (ctx) => ({ path: `/api/v1/users/${ctx.bystander}/status`, body: { status: 'active' } }),
    expect: superAdminOnly,
  },
  'POST /api/v1/trainers': {
    // The matrix's trainer has no profile: the first let-in call creates it, later ones get 409.
    // Society admins add trainers (to their society); super admins too.
    call: (ctx) => ({ path: '/api/v1/trainers', body: { user_id: ctx.actors.trainer.userId } }),
    expect: { ...superAdminOnly, adminX: 'allowed', adminY: 'allowed' },
  },
  'GET /api/v1/trainers': { call: () => ({ path: '/api/v1/trainers' }), expect: signedIn },
  'GET /api/v1/trainers/{id}': {
    call: (ctx) => ({ path: `/api/v1/trainers/${ctx.actors.trainer.userId}` }),
    expect: signedIn,
  },
  'PATCH /api/v1/trainers/{id}': {
    call: (ctx) => ({ path: `/api/v1/trainers/${ctx.actors.trainer.userId}`, body: { name: 'Coach' } }),
    expect: { ...superAdminOnly, trainer: 'allowed' },
  },
  'POST /api/v1/trainers/{id}/availability': {
    call: (ctx) => ({
      path: `/api/v1/trainers/${ctx.actors.trainer.userId}/availability`,
      body: { weekly: [{ weekday: 'mon', start: '07:00', end: '09:00' }] },
    }),
    expect: { ...superAdminOnly, trainer: 'allowed' },
  },
  'GET /api/v1/trainers/{id}/schedule': {
    call: (ctx) => ({ path: `/api/v1/trainers/${ctx.actors.trainer.userId}/schedule?date=2026-03-02` }),
    expect: { ...superAdminOnly, trainer: 'allowed', adminX: 'allowed', adminY: 'allowed' },
  },
  'POST /api/v1/societies': {
    call: () => ({ path: '/api/v1/societies', body: { name: `S ${randomUUID()}`, location: 'L' } }),
    expect: {
      anonymous: 401,
      memberA: 403,
      memberB: 403,
      trainer: 403,
      adminX: 'allowed',
      adminY: 'allowed',
      superAdmin: 'allowed',
    },
  },
  'POST /api/v1/members': {
    call: (ctx) => ({
      path: '/api/v1/members',
      body: {
        name: 'M',
        email: `mm-${randomUUID()}@example.com`,
        phone_number: uniquePhone(),
        society_id: ctx.societyX,
      },
    }),
    // A member applies for themself (the matrix's members already applied at signup: 409, let in).
    expect: { ...superAdminOnly, memberA: 'allowed', memberB: 'allowed', adminX: 'allowed' },
  },
  // memberA's member id is their user id once signup files their application (until then every
  // caller meets 404, which still counts as let in); anyone who may not see it gets 404, not 403.
  'GET /api/v1/members/{id}': {
    call: (ctx) => ({ path: `/api/v1/members/${ctx.actors.memberA.userId}` }),
    expect: {
      anonymous: 401,
      memberA: 'allowed',
      memberB: 404,
      trainer: 404,
      adminX: 'allowed',
      adminY: 404,
      superAdmin: 'allowed',
    },
  },
  'PATCH /api/v1/members/{id}': {
    call: (ctx) => ({ path: `/api/v1/members/${ctx.actors.memberA.userId}`, body: { name: 'Member A' } }),
    expect: {
      anonymous: 401,
      memberA: 'allowed',
      memberB: 404,
      trainer: 404,
      adminX: 'allowed',
      adminY: 404,
      superAdmin: 'allowed',
    },
  },
  'POST /api/v1/members/{id}/status': {
    call: (ctx) => ({
      path: `/api/v1/members/${ctx.actors.memberA.userId}/status`,
      body: { status: 'approved' },
    }),
    expect: { ...superAdminOnly, adminX: 'allowed', adminY: 404 },
  },
  'GET /api/v1/societies/{id}/members': {
    call: (ctx) => ({ path: `/api/v1/societies/${ctx.societyX}/members?status=pending` }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  'POST /api/v1/events': {
    call: (ctx) => ({
      path: '/api/v1/events',
      body: {
        name: 'Matrix class',
        society_id: ctx.societyX,
        class_type: 'yoga',
        date: '2030-03-06',
        start_time: '10:00 AM',
        end_time: '11:00 AM',
      },
    }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  'GET /api/v1/events': {
    call: (ctx) => ({ path: `/api/v1/events?society_id=${ctx.societyX}` }),
    expect: signedIn,
  },
  'GET /api/v1/events/{id}': { call: (ctx) => ({ path: `/api/v1/events/${ctx.classX}` }), expect: signedIn },
  'PATCH /api/v1/events/{id}': {
    call: (ctx) => ({ path: `/api/v1/events/${ctx.classX}`, body: { name: 'Matrix class renamed' } }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  'POST /api/v1/events/{id}/cancel': {
    call: (ctx) => ({ path: `/api/v1/events/${ctx.spareClassX}/cancel`, body: { reason: 'matrix' } }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  'GET /api/v1/events/{id}/trainer-suggestions': {
    call: (ctx) => ({ path: `/api/v1/events/${ctx.classX}/trainer-suggestions` }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  'POST /api/v1/events/{id}/activities': {
    call: (ctx) => ({
      path: `/api/v1/events/${ctx.classX}/activities`,
      body: { name: 'Stretch', duration: 1 },
    }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  'GET /api/v1/events/{id}/activities': {
    call: (ctx) => ({ path: `/api/v1/events/${ctx.classX}/activities` }),
    expect: signedIn,
  },
  'PUT /api/v1/events/{id}/activities/{activity_id}': {
    // An activity that does not exist: let-in callers get 404, the others are stopped before.
    call: (ctx) => ({
      path: `/api/v1/events/${ctx.classX}/activities/00000000-0000-4000-8000-00000000a11c`,
      body: { name: 'Renamed' },
    }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  'GET /api/v1/events/{id}/progress': {
    call: (ctx) => ({ path: `/api/v1/events/${ctx.classX}/progress` }),
    expect: signedIn,
  },
  'POST /api/v1/trainers/{id}/assign': {
    call: (ctx) => ({
      path: `/api/v1/trainers/${ctx.actors.trainer.userId}/assign`,
      body: { event_id: ctx.classX },
    }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  'GET /api/v1/trainers/{id}/events': {
    call: (ctx) => ({ path: `/api/v1/trainers/${ctx.actors.trainer.userId}/events` }),
    expect: { ...superAdminOnly, trainer: 'allowed', adminX: 'allowed', adminY: 'allowed' },
  },
  'GET /api/v1/trainers/{id}/participants/{event_id}': {
    call: (ctx) => ({ path: `/api/v1/trainers/${ctx.actors.trainer.userId}/participants/${ctx.classX}` }),
    expect: { ...superAdminOnly, trainer: 'allowed', adminX: 'allowed' },
  },
  'GET /api/v1/members/{id}/events': {
    call: (ctx) => ({ path: `/api/v1/members/${ctx.actors.memberA.userId}/events` }),
    expect: {
      anonymous: 401,
      memberA: 'allowed',
      memberB: 404,
      trainer: 404,
      adminX: 'allowed',
      adminY: 404,
      superAdmin: 'allowed',
    },
  },
  // Booking. memberA is neither approved nor subscribed: let in, then refused by the rules (422).
  'POST /api/v1/bookings': {
    call: (ctx) => ({ path: '/api/v1/bookings', body: { event_id: ctx.classX } }),
    expect: { ...superAdminOnly, memberA: 'allowed', memberB: 'allowed', adminX: 'allowed' },
  },
  'POST /api/v1/members/{id}/bookings': {
    call: (ctx) => ({
      path: `/api/v1/members/${ctx.actors.memberA.userId}/bookings`,
      body: { event_id: ctx.classX },
    }),
    expect: { ...superAdminOnly, memberA: 'allowed', adminX: 'allowed' },
  },
  'POST /api/v1/events/{id}/bookings': {
    call: (ctx) => ({
      path: `/api/v1/events/${ctx.classX}/bookings`,
      body: { member_id: ctx.actors.memberA.userId },
    }),
    expect: { ...superAdminOnly, memberA: 'allowed', adminX: 'allowed' },
  },
  // A booking that does not exist: every caller let in meets 404 (a member meets 404 for others' too).
  'DELETE /api/v1/bookings/{id}': {
    call: () => ({ path: '/api/v1/bookings/00000000-0000-4000-8000-0000000b00c1' }),
    expect: signedIn,
  },
  'DELETE /api/v1/members/{id}/bookings/{booking_id}': {
    call: (ctx) => ({
      path: `/api/v1/members/${ctx.actors.memberA.userId}/bookings/00000000-0000-4000-8000-0000000b00c1`,
    }),
    expect: signedIn,
  },
  'GET /api/v1/bookings/{id}': {
    call: (ctx) => ({ path: `/api/v1/bookings/${ctx.actors.memberA.userId}` }),
    expect: {
      anonymous: 401,
      memberA: 'allowed',
      memberB: 404,
      trainer: 404,
      adminX: 'allowed',
      adminY: 404,
      superAdmin: 'allowed',
    },
  },
  'GET /api/v1/members/{id}/bookings': {
    call: (ctx) => ({ path: `/api/v1/members/${ctx.actors.memberA.userId}/bookings` }),
    expect: {
      anonymous: 401,
      memberA: 'allowed',
      memberB: 404,
      trainer: 404,
      adminX: 'allowed',
      adminY: 404,
      superAdmin: 'allowed',
    },
  },
  'GET /api/v1/bookings/event/{event_id}': {
    call: (ctx) => ({ path: `/api/v1/bookings/event/${ctx.classX}` }),
    expect: { ...superAdminOnly, trainer: 'allowed', adminX: 'allowed' },
  },
  'GET /api/v1/events/{id}/waitlist': {
    call: (ctx) => ({ path: `/api/v1/events/${ctx.classX}/waitlist` }),
    expect: { ...superAdminOnly, trainer: 'allowed', adminX: 'allowed' },
  },
  'POST /api/v1/bookings/{id}/attendance': {
    call: () => ({
      path: '/api/v1/bookings/00000000-0000-4000-8000-0000000b00c1/attendance',
      body: { attendance: 'present' },
    }),
    expect: { ...superAdminOnly, trainer: 'allowed', adminX: 'allowed', adminY: 'allowed' },
  },
  'POST /api/v1/members/{id}/calendar-token': {
    call: (ctx) => ({ path: `/api/v1/members/${ctx.actors.memberA.userId}/calendar-token` }),
    expect: {
      anonymous: 401,
      memberA: 'allowed',
      memberB: 404,
      trainer: 404,
      adminX: 'allowed',
      adminY: 404,
      superAdmin: 'allowed',
    },
  },
  'POST /api/v1/trainers/{id}/calendar-token': {
    call: (ctx) => ({ path: `/api/v1/trainers/${ctx.actors.trainer.userId}/calendar-token` }),
    expect: { ...superAdminOnly, trainer: 'allowed' },
  },
  // The feeds are public and guarded by their token: a wrong one is 404 for everyone.
  'GET /api/v1/members/{id}/calendar.ics': {
    call: (ctx) => ({
      path: `/api/v1/members/${ctx.actors.memberA.userId}/calendar.ics?token=${'x'.repeat(43)}`,
    }),
    expect: everyone,
  },
  'GET /api/v1/trainers/{id}/calendar.ics': {
    call: (ctx) => ({
      path: `/api/v1/trainers/${ctx.actors.trainer.userId}/calendar.ics?token=${'x'.repeat(43)}`,
    }),
    expect: everyone,
  },
  'GET /api/v1/societies': { call: () => ({ path: '/api/v1/societies' }), expect: everyone },
  'GET /api/v1/societies/{id}': {
    call: (ctx) => ({ path: `/api/v1/societies/${ctx.societyX}` }),
    expect: everyone,
  },
  'PATCH /api/v1/societies/{id}': {
    call: (ctx) => ({
      path: `/api/v1/societies/${ctx.societyX}`,
      body: { capacity: 100 + Math.floor(Math.random() * 900) },
    }),
    expect: {
      anonymous: 401,
      memberA: 403,
      memberB: 403,
      trainer: 403,
      adminX: 'allowed',
      adminY: 403,
      superAdmin: 'allowed',
    },
  },
  'POST /api/v1/societies/{id}/admins': {
    call: (ctx) => ({
      path: `/api/v1/societies/${ctx.societyX}/admins`,
      body: { user_id: ctx.actors.adminX.userId },
    }),
    expect: superAdminOnly,
  },
  'POST /api/v1/societies/{id}/schedule-templates': {
    call: (ctx) => ({
      path: `/api/v1/societies/${ctx.societyX}/schedule-templates`,
      body: {
        name: 'Matrix slot',
        weekday: 'mon',
        start_time: '06:00',
        duration_minutes: 45,
        class_type: 'yoga',
      },
    }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  'GET /api/v1/societies/{id}/schedule-templates': {
    call: (ctx) => ({ path: `/api/v1/societies/${ctx.societyX}/schedule-templates` }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  // A template that does not exist: let-in callers get 404, the others are stopped before.
  'GET /api/v1/societies/{id}/schedule-templates/{template_id}': {
    call: (ctx) => ({
      path: `/api/v1/societies/${ctx.societyX}/schedule-templates/00000000-0000-4000-8000-0000000007e1`,
    }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  'PATCH /api/v1/societies/{id}/schedule-templates/{template_id}': {
    call: (ctx) => ({
      path: `/api/v1/societies/${ctx.societyX}/schedule-templates/00000000-0000-4000-8000-0000000007e1`,
      body: { name: 'Renamed' },
    }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  'DELETE /api/v1/societies/{id}/schedule-templates/{template_id}': {
    call: (ctx) => ({
      path: `/api/v1/societies/${ctx.societyX}/schedule-templates/00000000-0000-4000-8000-0000000007e1`,
    }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  'POST /api/v1/schedules/preview': {
    call: (ctx) => ({
      path: '/api/v1/schedules/preview',
      body: { week: '2030-W30', society_id: ctx.societyX },
    }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  'POST /api/v1/schedules/generate': {
    call: (ctx) => ({
      path: '/api/v1/schedules/generate',
      body: { week: '2030-W30', society_id: ctx.societyX },
    }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  // Notifications: memberA's own; hidden (404) from whoever may not see them.
  'POST /api/v1/notifications/schedule': {
    call: (ctx) => ({
      path: '/api/v1/notifications/schedule',
      body: {
        member_id: ctx.actors.memberA.userId,
        event_id: ctx.classX,
        notification_type: 'reminder',
        scheduled_time: '2030-03-04T10:00:00',
      },
    }),
    expect: { ...superAdminOnly, adminX: 'allowed', adminY: 404 },
  },
  'GET /api/v1/notifications/preferences': {
    call: () => ({ path: '/api/v1/notifications/preferences' }),
    expect: signedIn,
  },
  'PUT /api/v1/notifications/preferences': {
    call: () => ({ path: '/api/v1/notifications/preferences', body: { email: true } }),
    expect: signedIn,
  },
  'GET /api/v1/notifications/{id}': {
    call: (ctx) => ({ path: `/api/v1/notifications/${ctx.actors.memberA.userId}` }),
    expect: { ...ownMemberRecord },
  },
  'GET /api/v1/notifications/{member_id}/status': {
    call: (ctx) => ({ path: `/api/v1/notifications/${ctx.actors.memberA.userId}/status` }),
    expect: { ...ownMemberRecord },
  },
  'GET /api/v1/members/{id}/notifications': {
    call: (ctx) => ({ path: `/api/v1/members/${ctx.actors.memberA.userId}/notifications` }),
    expect: { ...ownMemberRecord },
  },
  // Job control: super admins only (the test app's scheduler has no jobs, so they answer 422/404).
  'POST /api/v1/cron-schedule': {
    call: () => ({
      path: '/api/v1/cron-schedule',
      body: { task: 'health_check', cron_expression: '0 0 * * *' },
    }),
    expect: superAdminOnly,
  },
  'GET /api/v1/cron-jobs/status': {
    call: () => ({ path: '/api/v1/cron-jobs/status' }),
    expect: superAdminOnly,
  },
  'POST /api/v1/cron-jobs/trigger': {
    call: () => ({ path: '/api/v1/cron-jobs/trigger', body: { task: 'health_check' } }),
    expect: superAdminOnly,
  },
  'POST /api/v1/cron-jobs/stop': {
    call: () => ({ path: '/api/v1/cron-jobs/stop', body: { task_id: '1' } }),
    expect: superAdminOnly,
  },
  // Outgoing webhooks: a society's admins (an unknown webhook id is 404 to them, 403 to the rest).
  'POST /api/v1/societies/{id}/webhooks': {
    call: (ctx) => ({
      path: `/api/v1/societies/${ctx.societyX}/webhooks`,
      body: { url: 'https://hooks.example.com/arcfit', event_types: ['member.approved'] },
    }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  'GET /api/v1/societies/{id}/webhooks': {
    call: (ctx) => ({ path: `/api/v1/societies/${ctx.societyX}/webhooks` }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  'DELETE /api/v1/webhooks/{id}': {
    call: () => ({ path: '/api/v1/webhooks/00000000-0000-4000-8000-00000000e0b1' }),
    expect: { ...superAdminOnly, adminX: 404, adminY: 404, superAdmin: 404 },
  },
  'GET /api/v1/webhooks/{id}/deliveries': {
    call: () => ({ path: '/api/v1/webhooks/00000000-0000-4000-8000-00000000e0b1/deliveries' }),
    expect: { ...superAdminOnly, adminX: 404, adminY: 404, superAdmin: 404 },
  },
  // Analytics: the society's admins and super admins.
  'GET /api/v1/societies/{id}/analytics': {
    call: (ctx) => ({ path: `/api/v1/societies/${ctx.societyX}/analytics` }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  'GET /api/v1/events/{id}/analytics': {
    call: (ctx) => ({ path: `/api/v1/events/${ctx.classX}/analytics` }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  // Audit: auditors and super admins only (test/api/audit/audit.e2e.test.ts lets the auditor in).
  'GET /api/v1/bookings/{id}/history': {
    call: () => ({ path: `/api/v1/bookings/${randomUUID()}/history` }),
    expect: superAdminOnly,
  },
  'GET /api/v1/payments/{id}/history': {
    call: () => ({ path: `/api/v1/payments/${randomUUID()}/history` }),
    expect: superAdminOnly,
  },
  'GET /api/v1/members/{id}/history': {
    call: (ctx) => ({ path: `/api/v1/members/${ctx.actors.memberA.userId}/history` }),
    expect: superAdminOnly,
  },
  'GET /api/v1/events/{id}/history': {
    call: (ctx) => ({ path: `/api/v1/events/${ctx.classX}/history` }),
    expect: superAdminOnly,
  },
  'GET /api/v1/audit/events': {
    call: () => ({ path: '/api/v1/audit/events?limit=1' }),
    expect: superAdminOnly,
  },
  'GET /api/v1/audit/events/export': {
    call: () => ({ path: '/api/v1/audit/events/export?type=SocietyRegistered' }),
    expect: superAdminOnly,
  },
  'GET /api/v1/audit/hash-chains': {
    call: () => ({ path: '/api/v1/audit/hash-chains' }),
    expect: superAdminOnly,
  },
  'POST /api/v1/audit/hash-chains/verification': {
    call: () => ({ path: '/api/v1/audit/hash-chains/verification' }),
    expect: superAdminOnly,
  },
  'POST /api/v1/users/{id}/erasure': {
    call: () => ({ path: `/api/v1/users/${randomUUID()}/erasure` }),
    expect: superAdminOnly,
  },
  'POST /api/v1/auditors': {
    call: () => ({
      path: '/api/v1/auditors',
      body: {
        name: 'Matrix Auditor',
        email: `auditor-${randomUUID()}@example.com`,
        password: 'a long passphrase',
      },
    }),
    expect: superAdminOnly,
  },
  // Billing (issue 5). Member A has applied (not approved): their own calls are let in and refused on business grounds.
  'GET /api/v1/subscriptions': {
    call: (ctx) => ({ path: `/api/v1/subscriptions?society_id=${ctx.societyX}` }),
    expect: signedIn,
  },
  'POST /api/v1/subscriptions': {
    call: (ctx) => ({
      path: '/api/v1/subscriptions',
      body: { society_id: ctx.societyX, name: `Matrix ${randomUUID()}`, price: '10.00', duration_in_days: 7 },
    }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  'GET /api/v1/subscriptions/{id}': {
    call: (ctx) => ({ path: `/api/v1/subscriptions/${ctx.planX}` }),
    expect: signedIn,
  },
  'PATCH /api/v1/subscriptions/{id}': {
    call: (ctx) => ({ path: `/api/v1/subscriptions/${ctx.planX}`, body: { duration_in_days: 8 } }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  'POST /api/v1/subscriptions/{id}/retire': {
    call: (ctx) => ({ path: `/api/v1/subscriptions/${ctx.planX}/retire` }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
  'POST /api/v1/members/{id}/subscribe': {
    call: (ctx) => ({
      path: `/api/v1/members/${ctx.actors.memberA.userId}/subscribe`,
      body: { subscription_id: ctx.planX },
    }),
    expect: ownMemberRecord,
  },
  'GET /api/v1/members/{id}/subscriptions': {
    call: (ctx) => ({ path: `/api/v1/members/${ctx.actors.memberA.userId}/subscriptions` }),
    expect: ownMemberRecord,
  },
  'POST /api/v1/payments': {
    call: (ctx) => ({
      path: '/api/v1/payments',
      body: {
        member_id: ctx.actors.memberA.userId,
        subscription_id: ctx.planX,
        amount: '10.00',
        transaction_id: `txn_${randomUUID()}`,
      },
    }),
    expect: ownMemberRecord,
  },
  'GET /api/v1/payments/{member_id}': {
    call: (ctx) => ({ path: `/api/v1/payments/${ctx.actors.memberA.userId}` }),
    expect: ownMemberRecord,
  },
  'GET /api/v1/payments/{id}/invoice': {
    call: () => ({ path: `/api/v1/payments/${randomUUID()}/invoice` }),
    expect: signedIn,
  },
  'POST /api/v1/payments/{id}/refund': {
    call: () => ({ path: `/api/v1/payments/${randomUUID()}/refund`, body: { reason: 'matrix' } }),
    expect: { ...superAdminOnly, adminX: 'allowed', adminY: 404 },
  },
  'POST /api/v1/payments/webhook': {
    call: () => ({ path: '/api/v1/payments/webhook', body: { id: 'evt_matrix' } }),
    expect: everyone,
  },
  'GET /api/v1/societies/{id}/revenue': {
    call: (ctx) => ({ path: `/api/v1/societies/${ctx.societyX}/revenue` }),
    expect: { ...superAdminOnly, adminX: 'allowed' },
  },
};

let t: TestApp;
let ctx: Context;
beforeAll(async () => {
  t = await startTestApp();
  const x = await adminWithSociety(t);
  const y = await adminWithSociety(t);
  ctx = {
    societyX: x.societyId,
    societyY: y.societyId,
    bystander: (await signUp(t, 'society_admin')).userId,
    actors: {
      memberA: await signUp(t, 'member', { society_id: x.societyId }),
      memberB: await signUp(t, 'member', { society_id: x.societyId }),
      trainer: await signUp(t, 'trainer'),
      adminX: x.admin,
      adminY: y.admin,
      superAdmin: await superAdmin(t),
    },
  };
  const newClass = async (trainerId?: string) => {
    const res = await request(t.app)
      .post('/api/v1/events')
      .set(...x.admin.auth)
      .send({
        name: 'Matrix class',
        society_id: x.societyId,
        class_type: 'yoga',
        date: '2030-03-05',
        start_time: '10:00',
        end_time: '11:00',
        trainer_id: trainerId,
      });
    if (res.status !== 201) throw new Error(`class failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  ctx.classX = await newClass(ctx.actors.trainer.userId);
  ctx.spareClassX = await newClass();
  const plan = await request(t.app)
    .post('/api/v1/subscriptions')
    .set(...x.admin.auth)
    .send({ society_id: x.societyId, name: 'Matrix plan', price: '10.00', duration_in_days: 7 });
  if (plan.status !== 201) throw new Error(`plan failed: ${plan.status} ${JSON.stringify(plan.body)}`);
  ctx.planX = plan.body.id as string;
});
afterAll(async () => t.dispose());

it('has a row for every route the API serves', () => {
  const served = t.app.routeBook.routes.map((r) => `${r.method} ${r.path}`);
  expect(served.filter((route) => !(route in matrix))).toEqual([]);
  expect(Object.keys(matrix).filter((route) => !served.includes(route))).toEqual([]);
});

const cases = Object.entries(matrix).flatMap(([route, row]) =>
  (Object.keys(row.expect) as ActorName[]).map((actor) => [route, actor, row.expect[actor]] as const),
);

it.each(cases)('%s as %s → %s', async (route, actor, expected) => {
  const [method] = route.split(' ');
  const { path, body } = matrix[route]!.call(ctx);
  let req = request(t.app)[method!.toLowerCase() as 'get' | 'post' | 'patch'](path);
  if (actor !== 'anonymous') req = req.set(...ctx.actors[actor].auth);
  const res = body === undefined ? await req : await req.send(body as object);
  expect(res.status).toBeLessThan(500);
  if (expected === 'allowed') {
    // Let in: any answer but a refusal of the caller (a wrong password or code is still "let in").
    expect(res.status).not.toBe(403);
    expect(res.status === 401 && /unauthenticated$/.test(res.body.type)).toBe(false);
  } else {
    expect(res.status).toBe(expected);
    if (expected === 401) expect(res.body.type).toMatch(/unauthenticated$/);
  }
});

/**
 * Fields a route shows or hides by who asks. `shown`: the caller gets the guarded fields; `hidden`:
 * the same resource without them (a route that lets everyone in can still leak by what it answers).
 */
type Visibility = 'shown' | 'hidden' | 401;

/** A society's revenue: its own admins and super admins. */
const revenueVisibility: Record<ActorName, Visibility> = {
  anonymous: 'hidden',
  memberA: 'hidden',
  memberB: 'hidden',
  trainer: 'hidden',
  adminX: 'shown',
  adminY: 'hidden',
  superAdmin: 'shown',
};

/** The matrix trainer's contact details (they teach classX in society X): themself, X's admins, super admins. */
const contactVisibility: Record<ActorName, Visibility> = {
  anonymous: 401,
  memberA: 'hidden',
  memberB: 'hidden',
  trainer: 'shown',
  adminX: 'shown',
  adminY: 'hidden',
  superAdmin: 'shown',
};

/** A trainer who teaches nowhere: only super admins (and they themself) see how to reach them. */
const strangerContactVisibility: Record<ActorName, Visibility> = {
  ...contactVisibility,
  trainer: 'hidden',
  adminX: 'hidden',
};

const REVENUE_FIELDS = ['revenue', 'revenue_details'];
const CONTACT_FIELDS = ['email', 'phone_number', 'location', 'home_location'];

/** A trainer society Y's admin added: Y's admins see how to reach them before any class ties them. */
const addedByYContactVisibility: Record<ActorName, Visibility> = {
  ...contactVisibility,
  trainer: 'hidden',
  adminX: 'hidden',
  adminY: 'shown',
};

const get = (actor: ActorName, path: string) => {
  const req = request(t.app).get(path);
  return actor === 'anonymous' ? req : req.set(...ctx.actors[actor].auth);
};

const expectFields = (record: Record<string, unknown> | undefined, fields: string[], seen: Visibility) => {
  expect(record).toBeDefined();
  // The guarded fields the caller got: all of them, or none.
  expect(fields.filter((field) => field in record!)).toEqual(seen === 'shown' ? fields : []);
};

describe('fields shown by who asks', () => {
  let stranger: string;
  let addedByY: string;
  beforeAll(async () => {
    // A trainer's signup files their profile; the POST makes sure of it (201, or 409: already there).
    const profile = async (userId: string) => {
      const res = await request(t.app)
        .post('/api/v1/trainers')
        .set(...ctx.actors.superAdmin.auth)
        .send({ user_id: userId });
      expect([201, 409]).toContain(res.status);
    };
    const account = await signUp(t, 'trainer');
    await profile(ctx.actors.trainer.userId);
    await profile(account.userId);
    stranger = account.userId;
    const added = await request(t.app)
      .post('/api/v1/trainers')
      .set(...ctx.actors.adminY.auth)
      .send({
        name: 'Jane Doe',
        email: `added-${account.userId}@example.com`,
        specialization: 'Yoga',
        society_id: ctx.societyY,
      });
    expect(added.status).toBe(201);
    addedByY = added.body.id;
  });

  const each = <T>(table: Record<ActorName, T>) =>
    (Object.keys(table) as ActorName[]).map((actor) => [actor, table[actor]] as const);

  it.each(each(revenueVisibility))('GET /api/v1/societies/{id} revenue as %s → %s', async (actor, seen) => {
    const res = await get(actor, `/api/v1/societies/${ctx.societyX}`);
    expect(res.status).toBe(200);
    expectFields(res.body, REVENUE_FIELDS, seen);
  });

  it.each(each(revenueVisibility))('GET /api/v1/societies revenue as %s → %s', async (actor, seen) => {
    const res = await get(actor, '/api/v1/societies?limit=100');
    expect(res.status).toBe(200);
    const x = res.body.find((s: { id: string }) => s.id === ctx.societyX);
    expectFields(x, REVENUE_FIELDS, seen);
    // Y is adminY's: adminX sees its revenue no more than a member does.
    const y = res.body.find((s: { id: string }) => s.id === ctx.societyY);
    expectFields(y, REVENUE_FIELDS, actor === 'superAdmin' || actor === 'adminY' ? 'shown' : 'hidden');
  });

  const trainerCases = (table: Record<ActorName, Visibility>, who: () => string) =>
    each(table).map(([actor, seen]) => [actor, seen, who] as const);

  it.each([
    ...trainerCases(contactVisibility, () => ctx.actors.trainer.userId).map((c) => ['matrix', ...c] as const),
    ...trainerCases(strangerContactVisibility, () => stranger).map((c) => ['stranger', ...c] as const),
    ...trainerCases(addedByYContactVisibility, () => addedByY).map((c) => ['added-by-Y', ...c] as const),
  ])('GET /api/v1/trainers/{id} contact of the %s trainer as %s → %s', async (_who, actor, seen, id) => {
    const res = await get(actor, `/api/v1/trainers/${id()}`);
    if (seen === 401) return expect(res.status).toBe(401);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: id(),
      name: expect.any(String),
      specialization: expect.any(String),
    });
    expectFields(res.body, CONTACT_FIELDS, seen);
  });

  it.each([
    ...trainerCases(contactVisibility, () => ctx.actors.trainer.userId).map((c) => ['matrix', ...c] as const),
    ...trainerCases(strangerContactVisibility, () => stranger).map((c) => ['stranger', ...c] as const),
    ...trainerCases(addedByYContactVisibility, () => addedByY).map((c) => ['added-by-Y', ...c] as const),
  ])('GET /api/v1/trainers contact of the %s trainer as %s → %s', async (_who, actor, seen, id) => {
    const res = await get(actor, '/api/v1/trainers?limit=100');
    if (seen === 401) return expect(res.status).toBe(401);
    expect(res.status).toBe(200);
    const listed = res.body.find((tr: { id: string }) => tr.id === id());
    expect(listed).toMatchObject({ name: expect.any(String), specialization: expect.any(String) });
    expectFields(listed, CONTACT_FIELDS, seen);
  });
});

describe('/metrics', () => {
  // Not a user's route: no sign-in reaches it, only the operator's METRICS_TOKEN.
  it.each(Object.keys(everyone) as ActorName[])('as %s → 401', async (actor) => {
    const res = await get(actor, '/metrics');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('with METRICS_TOKEN → 200', async () => {
    const res = await request(t.app).get('/metrics').set('Authorization', `Bearer ${TEST_METRICS_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/http_request_duration_seconds/);
  });
});
