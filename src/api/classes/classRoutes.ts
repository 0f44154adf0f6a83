import { Router } from 'express';
import { answerCommand } from '../http/answerCommand';
import {
  addClassActivity,
  assignTrainerToClass,
  cancelClass,
  changeClassActivity,
  changeClassDetails,
  precheckClassDetails,
  rescheduleClass,
  scheduleClass,
} from '../../commands/classes/classCommands';
import { formatMinute } from '../../commands/trainers/availability';
import { classesClash, instantsOf } from '../../commands/schedules/trainerClash';
import { haversineKm } from '../../commands/trainers/trainerDayDecider';
import { checkTrainerFit } from '../../commands/trainers/trainerFit';
import { formatPosition, type Position } from '../../events/store/position';
import {
  classActivities,
  findClass,
  listClasses,
  societyLocations,
  trainerDayLoads,
  type ActivityRow,
  type ClassFilter,
  type ClassRow,
} from '../../projections/classes/classQueries';
import { classProgress } from '../../projections/classes/classProgress';
import { classParticipants } from '../../projections/booking/bookingQueries';
import { findUser } from '../../projections/identity/userQueries';
import { findMember } from '../../projections/members/memberQueries';
import { allSocietyClocks } from '../../projections/schedules/planningQueries';
import { findSociety } from '../../projections/societies/societyQueries';
import { findTrainer, listTrainers, type TrainerRow } from '../../projections/trainers/trainerQueries';
import { assertAdministers, canAdminister, forbidden, rolesOnly, signedIn } from '../auth/access';
import type { Principal } from '../auth/principal';
import type { ApiDependencies } from '../dependencies';
import { commandMetadata, newEntityId } from '../http/commandMetadata';
import { HttpProblem } from '../http/errorHandler';
import { decodeCursor, encodeCursor } from '../http/keysetCursor';
import { POSITION_HEADER } from '../http/readYourWrites';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { acceptedSchema } from '../societies/societySchemas';
import { trainerIdParams } from '../trainers/trainerSchemas';
import {
  activityChangedSchema,
  activityListSchema,
  activityParams,
  addActivityBody,
  assignmentSchema,
  assignTrainerBody,
  cancelClassBody,
  changeActivityBody,
  classIdParams,
  classListSchema,
  classSchema,
  createClassBody,
  listClassesQuery,
  pageQuery,
  participantsParams,
  participantsSchema,
  progressQuery,
  progressSchema,
  readQuery,
  suggestionsSchema,
  updateClassBody,
} from './classSchemas';

/** Recorded `canceled`, otherwise what the clock says about the class's times. */
const statusAt = (row: ClassRow, now: Date) =>
  row.status === 'canceled'
    ? 'canceled'
    : now < row.starts_at
      ? 'scheduled'
      : now < row.ends_at
        ? 'ongoing'
        : 'completed';

const toClass = (row: ClassRow, now: Date) => ({
  id: row.id,
  name: row.name,
  society_id: row.society_id,
  trainer_id: row.trainer_id,
  class_type: row.class_type,
  date: row.date,
  event_date: row.date,
  start_time: formatMinute(row.start_minute),
  end_time: formatMinute(row.end_minute),
  timezone: row.timezone,
  starts_at: row.starts_at.toISOString(),
  ends_at: row.ends_at.toISOString(),
  max_members: row.max_members,
  seats_left: row.seats_left,
  status: statusAt(row, now),
  cancel_reason: row.cancel_reason,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

const toActivity = (row: ActivityRow) => ({
  id: row.id,
  order: row.order,
  name: row.name,
  duration: row.duration_minutes,
  description: row.description,
  tracks: row.tracks,
  media_url: row.media_url,
});

const classNotFound = (id: string) =>
  new HttpProblem(404, 'class-not-found', 'Class not found', `No class (event) ${id}`);

/** Keyset cursors over (starts_at, id), in the shape the shared cursor codec carries. */
const cursorOf = (row: ClassRow) => encodeCursor({ created_at: row.starts_at, id: row.id });
const afterCursor = (cursor: string | undefined) => {
  if (!cursor) return undefined;
  const { createdAt, id } = decodeCursor(cursor);
  return { startsAt: createdAt, id };
};

const accepted = json(acceptedSchema, 'Recorded, read side catching up');

export const classRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex, commands, readYourWrites } = deps;
  const base = '/api/v1';

  /** The society a member belongs to (their user row), or null for anyone else. */
  const memberSociety = async (principal: Principal) =>
    principal.role === 'member' ? ((await findUser(knex, principal.userId))?.society_id ?? null) : undefined;

  /** Members see only their own society's classes; to them others' do not exist. */
  const readableClass = async (principal: Principal, id: string) => {
    const row = await findClass(knex, id);
    if (!row) throw classNotFound(id);
    const own = await memberSociety(principal);
    if (own !== undefined && own !== row.society_id) throw classNotFound(id);
    return row;
  };

  /** A class an admin acts on: 404 when missing, 403 unless they administer its society. */
  const administeredClass = async (principal: Principal, id: string) => {
    const row = await findClass(knex, id);
    if (!row) throw classNotFound(id);
    assertAdministers(principal, row.society_id);
    return row;
  };

  const answerWithClass = (id: string, position: Position | undefined, created: boolean) =>
    answerCommand(readYourWrites, {
      id,
      position,
      location: created ? `${base}/events/${id}` : undefined,
      load: () => findClass(knex, id),
      present: (row) => toClass(row, new Date()),
    });

  const page = async (
    filter: Omit<ClassFilter, 'limit' | 'after'>,
    query: { limit: number; cursor?: string },
  ) => {
    const rows = await listClasses(knex, {
      ...filter,
      limit: query.limit + 1,
      after: afterCursor(query.cursor),
    });
    const shown = rows.slice(0, query.limit);
    const now = new Date();
    return {
      status: 200,
      body: {
        events: shown.map((r) => toClass(r, now)),
        next_cursor: rows.length > query.limit ? cursorOf(shown[shown.length - 1]!) : null,
      },
    };
  };

  const classRefusals = problems(400, 401, 403, 404, 409, 422, 503);

  addRoute(router, book, base, {
    method: 'post',
    path: '/events',
    summary: 'Schedule a class (the spec’s event), assigning its trainer if given',
    tags: ['Events'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the society'),
    body: createClassBody,
    responses: { 201: json(classSchema, 'Created'), 202: accepted, ...classRefusals },
    handler: async ({ body, req, principal }) => {
      assertAdministers(principal!, body.society_id);
      const metadata = commandMetadata(req, 'ScheduleClass');
      const classId = newEntityId(metadata);
      const outcome = await scheduleClass(
        commands,
        {
          classId,
          societyId: body.society_id,
          name: body.name,
          classType: body.class_type,
          date: (body.date ?? body.event_date)!,
          start: body.start_time,
          end: body.end_time,
          maxMembers: body.max_members,
          trainerId: body.trainer_id ?? null,
          scheduledBy: principal!.userId,
        },
        metadata,
      );
      return answerWithClass(classId, outcome.position, true);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/events',
    summary: 'List classes, by society and society-local date range',
    tags: ['Events'],
    access: signedIn('members see only their own society’s classes'),
    query: listClassesQuery,
    responses: {
      200: json(classListSchema, 'A page of classes in start order'),
      ...problems(400, 401, 403, 503),
    },
    handler: async ({ query, req, principal }) => {
      await readYourWrites.awaitRequested(req);
      const own = await memberSociety(principal!);
      if (own !== undefined && query.society_id !== undefined && query.society_id !== own)
        throw forbidden('A member sees only their own society’s classes.');
      const societyId = own !== undefined ? own : query.society_id;
      if (own === null) return { status: 200, body: { events: [], next_cursor: null } };
      return page({ societyId: societyId ?? undefined, from: query.from, to: query.to }, query);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/events/{id}',
    summary: 'Get a class',
    tags: ['Events'],
    access: signedIn('members: classes of their own society only (others get 404)'),
    params: classIdParams,
    query: readQuery,
    responses: { 200: json(classSchema, 'The class'), ...problems(400, 401, 404, 503) },
    handler: async ({ params, req, principal }) => {
      await readYourWrites.awaitRequested(req);
      const row = await readableClass(principal!, params.id);
      return { status: 200, headers: { ETag: `"${row.version}"` }, body: toClass(row, new Date()) };
    },
  });

  addRoute(router, book, base, {
    method: 'patch',
    path: '/events/{id}',
    summary: 'Change a class: details, or date/times (a reschedule that moves the trainer’s claim)',
    tags: ['Events'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the class’s society'),
    params: classIdParams,
    body: updateClassBody,
    responses: { 200: json(classSchema, 'The class after the change'), 202: accepted, ...classRefusals },
    handler: async ({ params, body, req, principal }) => {
      const row = await administeredClass(principal!, params.id);
      let position: Position | undefined;
      const { name, class_type, max_members } = body;
      const reschedules =
        body.date !== undefined || body.start_time !== undefined || body.end_time !== undefined;
      const start = body.start_time ?? row.start_minute;
      const end = body.end_time ?? row.end_minute;
      // Everything the request could be refused for is checked before the first append, and the
      // reschedule (refusable by the trainer's day) goes first: a refused PATCH writes nothing.
      if (reschedules && end <= start)
        throw new HttpProblem(400, 'invalid-class-times', 'A class ends after it starts, on the same day');
      const changesDetails = name !== undefined || class_type !== undefined || max_members !== undefined;
      const details = {
        classId: params.id,
        changes: { name, classType: class_type, maxMembers: max_members },
      };
      if (reschedules && changesDetails) await precheckClassDetails(commands, details);
      if (reschedules) {
        const outcome = await rescheduleClass(
          commands,
          { classId: params.id, date: body.date ?? row.date, start, end },
          commandMetadata(req, 'RescheduleClass'),
        );
        position = outcome.position ?? position;
      }
      if (changesDetails) {
        const outcome = await changeClassDetails(
          commands,
          details,
          commandMetadata(req, 'ChangeClassDetails'),
        );
        position = outcome.position ?? position;
      }
      return answerWithClass(params.id, position, false);
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/events/{id}/cancel',
    summary: 'Cancel a class (frees its trainer; bookings will be cancelled from this fact)',
    tags: ['Events'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the class’s society'),
    params: classIdParams,
    body: cancelClassBody,
    responses: { 200: json(classSchema, 'The canceled class'), 202: accepted, ...classRefusals },
    handler: async ({ params, body, req, principal }) => {
      await administeredClass(principal!, params.id);
      const outcome = await cancelClass(
        commands,
        { classId: params.id, reason: body.reason, canceledBy: principal!.userId },
        commandMetadata(req, 'CancelClass'),
      );
      return answerWithClass(params.id, outcome.position, false);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/events/{id}/trainer-suggestions',
    summary: 'Trainers who could take a class, nearest first, then least busy that day',
    tags: ['Events'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the class’s society'),
    params: classIdParams,
    query: readQuery,
    responses: { 200: json(suggestionsSchema, 'Ranked trainers'), ...problems(400, 401, 403, 404, 503) },
    handler: async ({ params, req, principal }) => {
      await readYourWrites.awaitRequested(req);
      const row = await administeredClass(principal!, params.id);
      const society = await findSociety(knex, row.society_id);
      const here =
        society && society.latitude !== null && society.longitude !== null
          ? { lat: society.latitude, lng: society.longitude }
          : null;
      const trainers: TrainerRow[] = [];
      for (let after: { createdAt: Date; id: string } | undefined; ;) {
        const batch = await listTrainers(knex, { limit: 500, after, specialization: row.class_type });
        trainers.push(...batch);
        if (batch.length < 500) break;
        after = { createdAt: batch[batch.length - 1]!.created_at, id: batch[batch.length - 1]!.id };
      }
      const slots = (await trainerDayLoads(knex, row.date)).filter((s) => s.class_id !== row.id);
      const [locations, clocks] = await Promise.all([
        societyLocations(knex, [...new Set(slots.map((s) => s.society_id))]),
        allSocietyClocks(knex),
      ]);
      // The claim's own rule (trainerClash): absolute time across zones. This class is claimed in
      // the zone it recorded; a held claim's instants are the ones it recorded, else its minutes in
      // its society's zone, else unknown (compared by local minutes).
      const zoneOf = new Map(clocks.map((c) => [c.id, c.timezone]));
      const wanted = {
        societyId: row.society_id,
        start: row.start_minute,
        end: row.end_minute,
        societyLocation: here,
        instants: instantsOf(row.date, row.start_minute, row.end_minute, row.timezone),
      };
      const held = (s: (typeof slots)[number]) => {
        const zone = zoneOf.get(s.society_id);
        return {
          societyId: s.society_id,
          start: s.start_minute,
          end: s.end_minute,
          societyLocation: locations.get(s.society_id) ?? null,
          instants:
            s.starts_at !== null && s.ends_at !== null
              ? { startsAt: Date.parse(s.starts_at), endsAt: Date.parse(s.ends_at) }
              : zone === undefined
                ? null
                : instantsOf(row.date, s.start_minute, s.end_minute, zone),
        };
      };
      const suggestions = trainers
        .filter((t) => t.id !== row.trainer_id)
        .filter(
          (t) =>
            checkTrainerFit(t, {
              classType: row.class_type,
              date: row.date,
              start: row.start_minute,
              end: row.end_minute,
            }) === 'ok',
        )
        .map((t) => ({ trainer: t, day: slots.filter((s) => s.trainer_id === t.id) }))
        .filter(({ trainer, day }) => day.length < trainer.max_classes_per_day)
        .filter(({ day }) => day.every((s) => !classesClash(wanted, held(s))))
        .map(({ trainer, day }) => ({
          trainer_id: trainer.id,
          name: trainer.name,
          specialization: trainer.specialization,
          // A trainer known by place name only (no coordinates) has no distance: listed last.
          distance_km:
            here && trainer.location.latitude !== null && trainer.location.longitude !== null
              ? Math.round(
                  haversineKm(here, { lat: trainer.location.latitude, lng: trainer.location.longitude }) * 10,
                ) / 10
              : null,
          classes_that_day: day.length,
          max_classes_per_day: trainer.max_classes_per_day,
        }))
        .sort(
          (a, b) =>
            (a.distance_km ?? Infinity) - (b.distance_km ?? Infinity) ||
            a.classes_that_day - b.classes_that_day,
        );
      return { status: 200, body: { event_id: row.id, suggestions } };
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/trainers/{id}/assign',
    summary: 'Assign (or re-assign) a trainer to a class',
    tags: ['Events', 'Trainers'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the class’s society'),
    params: trainerIdParams,
    body: assignTrainerBody,
    responses: { 200: json(assignmentSchema, 'Assigned'), 202: accepted, ...classRefusals },
    handler: async ({ params, body, req, principal }) => {
      await administeredClass(principal!, body.event_id);
      const outcome = await assignTrainerToClass(
        commands,
        { classId: body.event_id, trainerId: params.id },
        commandMetadata(req, 'AssignTrainerToClass'),
      );
      const answer = await answerWithClass(body.event_id, outcome.position, false);
      if (answer.status !== 200) return answer;
      const row = (await findClass(knex, body.event_id))!;
      return {
        status: 200,
        headers: answer.headers,
        body: { trainer_id: params.id, event_id: body.event_id, assigned_at: row.updated_at.toISOString() },
      };
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/trainers/{id}/events',
    summary: 'The classes a trainer is assigned to, in start order',
    tags: ['Events', 'Trainers'],
    access: rolesOnly(['trainer', 'society_admin', 'super_admin'], 'the trainer themself, or any admin'),
    params: trainerIdParams,
    query: pageQuery,
    responses: { 200: json(classListSchema, 'A page of classes'), ...problems(400, 401, 403, 404, 503) },
    handler: async ({ params, query, req, principal }) => {
      if (principal!.role === 'trainer' && principal!.userId !== params.id)
        throw forbidden('A trainer sees only their own classes.');
      await readYourWrites.awaitRequested(req);
      if (!(await findTrainer(knex, params.id)))
        throw new HttpProblem(
          404,
          'trainer-not-found',
          'Trainer not found',
          `No trainer profile ${params.id}`,
        );
      return page({ trainerId: params.id }, query);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/trainers/{id}/participants/{event_id}',
    summary: 'Who takes part in a trainer’s class',
    tags: ['Events', 'Trainers'],
    access: rolesOnly(
      ['trainer', 'society_admin', 'super_admin'],
      'the trainer of that class, an admin of its society',
    ),
    params: participantsParams,
    query: readQuery,
    responses: { 200: json(participantsSchema, 'The participants'), ...problems(400, 401, 403, 404, 503) },
    handler: async ({ params, req, principal }) => {
      await readYourWrites.awaitRequested(req);
      const row = await findClass(knex, params.event_id);
      if (!row || row.trainer_id !== params.id) throw classNotFound(params.event_id);
      const p = principal!;
      if (!(p.role === 'trainer' ? p.userId === params.id : canAdminister(p, row.society_id)))
        throw forbidden('Only the class’s trainer or an admin of its society may see who takes part.');
      const participants = (await classParticipants(knex, row.id)).map(({ member_id, name }) => ({
        member_id,
        name,
      }));
      return { status: 200, body: { event_id: row.id, participants } };
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/members/{id}/events',
    summary: 'Upcoming classes of a member’s society',
    tags: ['Events', 'Members'],
    access: signedIn('the member themself, an admin of their society or super_admin; others get 404'),
    params: classIdParams,
    query: pageQuery,
    responses: { 200: json(classListSchema, 'A page of upcoming classes'), ...problems(400, 401, 404, 503) },
    handler: async ({ params, query, req, principal }) => {
      await readYourWrites.awaitRequested(req);
      const member = await findMember(knex, params.id);
      if (!member || !(principal!.userId === member.id || canAdminister(principal!, member.society_id)))
        throw new HttpProblem(404, 'member-not-found', 'Member not found', `No member ${params.id}`);
      return page({ societyId: member.society_id, upcomingAt: new Date() }, query);
    },
  });

  const activitiesOf = async (classId: string) => (await classActivities(knex, classId)).map(toActivity);

  addRoute(router, book, base, {
    method: 'post',
    path: '/events/{id}/activities',
    summary: 'Add an activity to a class (at a position, or last)',
    tags: ['Events'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the class’s society'),
    params: classIdParams,
    body: addActivityBody,
    responses: { 201: json(activityChangedSchema, 'Added'), 202: accepted, ...classRefusals },
    handler: async ({ params, body, req, principal }) => {
      await administeredClass(principal!, params.id);
      const metadata = commandMetadata(req, 'AddClassActivity');
      const activityId = newEntityId(metadata);
      const outcome = await addClassActivity(
        commands,
        {
          classId: params.id,
          order: body.order,
          activity: {
            activityId,
            name: body.name,
            duration: body.duration,
            description: body.description ?? null,
            tracks: body.tracks,
            mediaUrl: body.media_url ?? null,
          },
        },
        metadata,
      );
      return answerWithActivity(params.id, activityId, outcome.position, 201);
    },
  });

  const answerWithActivity = async (
    classId: string,
    activityId: string,
    position: Position | undefined,
    status: number,
  ) => {
    const headers: Record<string, string> = position ? { [POSITION_HEADER]: formatPosition(position) } : {};
    const activities = (await readYourWrites.caughtUp(position)) ? await activitiesOf(classId) : [];
    const activity = activities.find((a) => a.id === activityId);
    if (!activity)
      return {
        status: 202,
        headers,
        body: { status: 'accepted', id: activityId, position: position ? formatPosition(position) : '' },
      };
    return { status, headers, body: { event_id: classId, activity, activities } };
  };

  addRoute(router, book, base, {
    method: 'get',
    path: '/events/{id}/activities',
    summary: 'A class’s activities, in running order',
    tags: ['Events'],
    access: signedIn('members: classes of their own society only (others get 404)'),
    params: classIdParams,
    query: readQuery,
    responses: { 200: json(activityListSchema, 'The activities'), ...problems(400, 401, 404, 503) },
    handler: async ({ params, req, principal }) => {
      await readYourWrites.awaitRequested(req);
      const row = await readableClass(principal!, params.id);
      return { status: 200, body: { event_id: row.id, activities: await activitiesOf(row.id) } };
    },
  });

  addRoute(router, book, base, {
    method: 'put',
    path: '/events/{id}/activities/{activity_id}',
    summary: 'Change an activity or move it (orders stay 1..n)',
    tags: ['Events'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the class’s society'),
    params: activityParams,
    body: changeActivityBody,
    responses: { 200: json(activityChangedSchema, 'Changed'), 202: accepted, ...classRefusals },
    handler: async ({ params, body, req, principal }) => {
      await administeredClass(principal!, params.id);
      const outcome = await changeClassActivity(
        commands,
        {
          classId: params.id,
          activityId: params.activity_id,
          order: body.order,
          changes: {
            name: body.name,
            duration: body.duration,
            description: body.description,
            tracks: body.tracks,
            mediaUrl: body.media_url,
          },
        },
        commandMetadata(req, 'ChangeClassActivity'),
      );
      return answerWithActivity(params.id, params.activity_id, outcome.position, 200);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/events/{id}/progress',
    summary: 'Which activity of a class is running now, its tracks and the time left',
    tags: ['Events'],
    access: signedIn('members: classes of their own society only (others get 404)'),
    params: classIdParams,
    query: progressQuery,
    responses: { 200: json(progressSchema, 'Progress'), ...problems(400, 401, 404, 503) },
    handler: async ({ params, query, req, principal }) => {
      await readYourWrites.awaitRequested(req);
      const row = await readableClass(principal!, params.id);
      const at = query.at ? new Date(query.at) : new Date();
      const progress = classProgress(
        {
          canceled: row.status === 'canceled',
          startsAt: row.starts_at,
          endsAt: row.ends_at,
          activities: await classActivities(knex, row.id),
        },
        at,
      );
      return { status: 200, body: { event_id: row.id, at: at.toISOString(), ...progress } };
    },
  });

  return router;
};
