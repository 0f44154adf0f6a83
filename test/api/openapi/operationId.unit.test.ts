// Before route.ts: it documents headers with .openapi(), which this import adds to zod.
import '../../../src/api/openapi/zod';
import { Router } from 'express';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { publicAccess } from '../../../src/api/auth/access';
import type { IdempotencyKeys } from '../../../src/api/http/idempotencyKeys';
import { deriveOperationId } from '../../../src/api/http/operationId';
import { addRoute, newRouteBook, type RouteBook } from '../../../src/api/http/route';

describe('deriveOperationId', () => {
  it.each([
    ['get', '/bookings/{id}', 'getBookingsById'],
    ['delete', '/bookings/{id}', 'deleteBookingsById'],
    ['post', '/bookings/{id}/attendance', 'postBookingsByIdAttendance'],
    ['get', '/trainers/{id}/participants/{event_id}', 'getTrainersByIdParticipantsByEventId'],
    ['get', '/members/{id}/calendar.ics', 'getMembersByIdCalendarIcs'],
    ['post', '/cron-jobs/trigger', 'postCronJobsTrigger'],
    ['get', '/societies', 'getSocieties'],
  ])('%s %s → %s', (method, path, expected) => {
    expect(deriveOperationId(method, path)).toBe(expected);
  });
});

describe('addRoute operationIds', () => {
  const book = (): RouteBook =>
    newRouteBook(new OpenAPIRegistry(), {} as IdempotencyKeys, async () => undefined);
  const route = (path: string, operationId?: string) => ({
    method: 'get' as const,
    path,
    operationId,
    summary: 'A route',
    tags: ['Test'],
    access: publicAccess,
    responses: { 200: { description: 'OK' } },
    handler: () => Promise.resolve({ status: 200 }),
  });

  it('registers the explicit operationId when given, the derived one otherwise', () => {
    const routes = book();
    addRoute(Router(), routes, '/api/v1', route('/things/{id}'));
    addRoute(Router(), routes, '/api/v1', route('/things', 'listThings'));
    expect(routes.routes.map((r) => r.operationId)).toEqual(['getThingsById', 'listThings']);
  });

  it('refuses a second route with the same operationId, naming both', () => {
    const routes = book();
    addRoute(Router(), routes, '/api/v1', route('/things', 'listThings'));
    expect(() => addRoute(Router(), routes, '/api/v1', route('/stuff', 'listThings'))).toThrow(
      /operationId listThings of GET \/api\/v1\/stuff is already GET \/api\/v1\/things's/,
    );
  });

  it('refuses two paths that derive the same operationId (name one of them)', () => {
    const routes = book();
    addRoute(Router(), routes, '/api/v1', route('/cron-jobs'));
    expect(() => addRoute(Router(), routes, '/api/v1', route('/cron/jobs'))).toThrow(/getCronJobs/);
  });

  it('refuses an operationId a generator cannot use as a method name', () => {
    expect(() => addRoute(Router(), book(), '/api/v1', route('/things', 'list-things'))).toThrow(/camelCase/);
  });
});
