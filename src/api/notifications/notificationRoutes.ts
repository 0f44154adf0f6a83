import { idParams, memberIdParams } from '../http/requestSchemas';
import { memberNotFound } from '../members/memberNotFound';
import { Router, type Request } from 'express';
import { scheduleNotification } from '../../commands/notifications/notificationCommands';
import { localToInstant, parseClockTime } from '../../events/classes/classTime';
import {
  classSociety,
  countNotificationsByStatus,
  deliveriesOf,
  findNotification,
  findPreferences,
  listNotificationsFor,
  memberSociety,
  savePreferences,
  type DeliveryRow,
  type NotificationRow,
} from '../../projections/notifications/notificationQueries';
import { canAdminister, rolesOnly, signedIn } from '../auth/access';
import type { Principal } from '../auth/principal';
import type { ApiDependencies } from '../dependencies';
import { answerCommand } from '../http/answerCommand';
import { commandMetadata, newEntityId } from '../http/commandMetadata';
import { HttpProblem } from '../http/errorHandler';
import { decodeCursor, encodeCursor } from '../http/keysetCursor';
import { json, problems } from '../http/responses';
import { listAnswer } from '../http/listAnswer';
import { addRoute, type RouteBook } from '../http/route';
import { acceptedSchema } from '../societies/societySchemas';
import { z } from '../openapi/zod';
import {
  listQuery,
  notificationListSchema,
  notificationSchema,
  notificationStatusSchema,
  preferencesBody,
  preferencesSchema,
  scheduleNotificationBody,
} from './notificationSchemas';
import { API_BASE } from '../http/basePath';

const present = (row: NotificationRow, deliveries: readonly DeliveryRow[] = []) => ({
  id: row.id,
  // The API contract names it notification_id; both carry the same id.
  notification_id: row.id,
  member_id: row.member_id,
  event_id: row.event_id,
  notification_type: row.notification_type,
  scheduled_time: row.scheduled_time.toISOString(),
  status: row.status,
  subject: row.subject,
  body: row.body,
  channels: deliveries.map((d) => ({
    channel: d.channel,
    status: d.status,
    attempts: d.attempts,
    message_id: d.message_id,
    last_error: d.last_error,
    sent_at: d.sent_at?.toISOString() ?? null,
  })),
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

const notFound = (id: string) =>
  new HttpProblem(404, 'notification-not-found', 'Notification not found', `No notification or member ${id}`);

/** The recipient, an admin of the society it concerns, or a super admin; others are told it does not exist. */
const mayReadNotification = (principal: Principal, row: NotificationRow) =>
  principal.role === 'super_admin' ||
  principal.userId === row.recipient_id ||
  principal.userId === row.user_id ||
  (row.society_id !== null && row.recipient_kind === 'member' && canAdminister(principal, row.society_id));

/** Whose notifications a caller may list: their own, or a member of a society they administer. */
const mayListFor = async (deps: ApiDependencies, principal: Principal, recipientId: string) => {
  if (principal.userId === recipientId || principal.role === 'super_admin') return true;
  const societyId = await memberSociety(deps.knex, recipientId);
  return societyId !== undefined && canAdminister(principal, societyId);
};

const fmtMinutes = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

export const notificationRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex, commands, readYourWrites } = deps;
  const base = API_BASE;

  /** A bare array, newest first; the next page in Link / ArcFit-Next-Cursor (listAnswer). */
  const listFor = async (
    req: Request,
    principal: Principal,
    recipientId: string,
    query: z.infer<typeof listQuery>,
  ) => {
    if (!(await mayListFor(deps, principal, recipientId))) throw notFound(recipientId);
    const rows = await listNotificationsFor(knex, recipientId, {
      limit: query.limit,
      before: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
    const deliveries = await deliveriesOf(
      knex,
      rows.map((r) => r.id),
    );
    return listAnswer(
      req,
      rows.map((r) => present(r, deliveries.get(r.id))),
      rows.length === query.limit ? encodeCursor(rows[rows.length - 1]!) : null,
    );
  };

  const statusFor = async (principal: Principal, recipientId: string) => {
    if (!(await mayListFor(deps, principal, recipientId))) throw notFound(recipientId);
    const counts = await countNotificationsByStatus(knex, recipientId);
    const total = counts.pending + counts.sent + counts.failed + counts.canceled;
    return {
      status: 200,
      body: {
        status: counts.failed > 0 ? 'failed' : counts.pending > 0 ? 'pending' : 'sent',
        notification_count: total,
        ...counts,
      },
    };
  };

  // Registered before /notifications/{id}: express matches in order, and `preferences` is no id.
  const presentPreferences = (row: Awaited<ReturnType<typeof findPreferences>>) => ({
    email: row?.email ?? true,
    sms: row?.sms ?? false,
    in_app: row?.in_app ?? true,
    quiet_hours:
      row && row.quiet_start !== null && row.quiet_end !== null
        ? {
            start: fmtMinutes(row.quiet_start),
            end: fmtMinutes(row.quiet_end),
            timezone: row.timezone ?? 'UTC',
          }
        : null,
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/notifications/preferences',
    summary: 'The caller’s channels (email, SMS, in-app) and quiet hours',
    tags: ['Notifications'],
    access: signedIn('the caller’s own'),
    responses: { 200: json(preferencesSchema, 'Preferences'), ...problems(401) },
    handler: async ({ principal }) => ({
      status: 200,
      body: presentPreferences(await findPreferences(knex, principal.userId)),
    }),
  });

  addRoute(router, book, base, {
    method: 'put',
    path: '/notifications/preferences',
    summary: 'Choose channels and quiet hours (email and SMS wait until quiet hours end; in-app never waits)',
    tags: ['Notifications'],
    access: signedIn('the caller’s own'),
    body: preferencesBody,
    responses: { 200: json(preferencesSchema, 'Saved'), ...problems(400, 401) },
    handler: async ({ body, principal }) => {
      const current = presentPreferences(await findPreferences(knex, principal.userId));
      const quiet = body.quiet_hours === undefined ? undefined : body.quiet_hours;
      await savePreferences(knex, principal.userId, {
        email: body.email ?? current.email,
        sms: body.sms ?? current.sms,
        in_app: body.in_app ?? current.in_app,
        quiet_start:
          quiet === undefined
            ? current.quiet_hours
              ? parseClockTime(current.quiet_hours.start)
              : null
            : (quiet?.start ?? null),
        quiet_end:
          quiet === undefined
            ? current.quiet_hours
              ? parseClockTime(current.quiet_hours.end)
              : null
            : (quiet?.end ?? null),
        timezone: quiet === undefined ? (current.quiet_hours?.timezone ?? null) : (quiet?.timezone ?? null),
      });
      return { status: 200, body: presentPreferences(await findPreferences(knex, principal.userId)) };
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/notifications/schedule',
    summary: 'Schedule a notice about a class for a member (reminder, new_event, event_update)',
    tags: ['Notifications'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the member’s and the class’s society'),
    body: scheduleNotificationBody,
    responses: {
      201: json(notificationSchema, 'Scheduled'),
      202: json(acceptedSchema, 'Recorded, read side catching up'),
      ...problems(400, 401, 403, 404, 409, 422, 503),
    },
    handler: async ({ body, req, principal }) => {
      const societyId = await memberSociety(knex, body.member_id);
      if (!societyId || !canAdminister(principal, societyId)) {
        throw memberNotFound(body.member_id);
      }
      const cls = await classSociety(knex, body.event_id);
      if (!cls || cls.society_id !== societyId) {
        throw new HttpProblem(
          422,
          'event-not-in-society',
          'No such class in the member’s society',
          `Class ${body.event_id} is not a class of society ${societyId}.`,
        );
      }
      if (cls.status === 'canceled') {
        throw new HttpProblem(
          422,
          'event-canceled',
          'The class is canceled',
          `Class ${body.event_id} is canceled.`,
        );
      }
      // The spec writes times without an offset: those are the society's wall clock.
      const hasOffset = /(Z|[+-]\d{2}:\d{2})$/.test(body.scheduled_time);
      const scheduledTime = hasOffset
        ? new Date(body.scheduled_time)
        : localToInstant(
            body.scheduled_time.slice(0, 10),
            parseClockTime(body.scheduled_time.slice(11, 16))!,
            cls.timezone,
          );
      const metadata = commandMetadata(req, 'ScheduleNotification');
      const notificationId = newEntityId(metadata);
      const outcome = await scheduleNotification(
        commands,
        {
          notificationId,
          memberId: body.member_id,
          classId: body.event_id,
          notificationType: body.notification_type,
          scheduledTime: scheduledTime.toISOString(),
          scheduledBy: principal.userId,
        },
        metadata,
      );
      return answerCommand(readYourWrites, {
        id: notificationId,
        position: outcome.position,
        location: `${base}/notifications/${notificationId}`,
        load: async (): Promise<(NotificationRow & { version?: number }) | undefined> =>
          findNotification(knex, notificationId),
        present: (row) => present(row),
      });
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/notifications/{id}',
    summary:
      'A notification by its id, or — the spec’s GET /notifications/{member_id} on the same path — ' +
      'the notifications of a member (or of the caller, by user id), newest first',
    tags: ['Notifications'],
    access: signedIn('its recipient, an admin of the member’s society, a super admin; others get 404'),
    params: idParams,
    query: listQuery,
    responses: {
      200: json(z.union([notificationSchema, notificationListSchema]), 'One notification, or a list'),
      ...problems(400, 401, 404),
    },
    handler: async ({ params, query, principal, req }) => {
      // The two spec paths share one shape: a notification id wins, since ids never collide.
      const row = await findNotification(knex, params.id);
      if (row) {
        if (!mayReadNotification(principal, row)) throw notFound(params.id);
        return { status: 200, body: present(row, (await deliveriesOf(knex, [row.id])).get(row.id)) };
      }
      return listFor(req, principal, params.id, query);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/notifications/{member_id}/status',
    summary: 'How a member’s notifications stand: overall status and counts',
    tags: ['Notifications'],
    access: signedIn('the member, an admin of their society, a super admin; others get 404'),
    params: memberIdParams,
    responses: { 200: json(notificationStatusSchema, 'Counts'), ...problems(400, 401, 404) },
    handler: async ({ params, principal }) => statusFor(principal, params.member_id),
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/members/{id}/notifications',
    summary:
      'A member’s notifications, newest first (the unambiguous form of GET /notifications/{member_id})',
    tags: ['Notifications'],
    access: signedIn('the member, an admin of their society, a super admin; others get 404'),
    params: idParams,
    query: listQuery,
    responses: { 200: json(notificationListSchema, 'Notifications'), ...problems(400, 401, 404) },
    handler: async ({ params, query, principal, req }) => listFor(req, principal, params.id, query),
  });

  return router;
};
