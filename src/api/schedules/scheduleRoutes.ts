import { idParams } from '../http/requestSchemas';
import { datesOfIsoWeek } from '../../commands/schedules/isoWeek';
import { Router } from 'express';
import { formatMinute } from '../../commands/trainers/availability';
import { travelKm } from '../../commands/schedules/planObjective';
import { MAX_CANDIDATE_PAIRS } from '../../commands/schedules/solveLimits';
import {
  addScheduleTemplate,
  changeScheduleTemplate,
  removeScheduleTemplate,
} from '../../commands/schedules/templateCommands';
import {
  generateWeek,
  proposeWeek,
  type ProposedClass,
  type WeekProposal,
} from '../../commands/schedules/weekGeneration';
import type { TemplateDetails } from '../../events/schedules/scheduleTemplateEvents';
import { formatPosition } from '../../events/store/position';
import { allSocietyClocks } from '../../projections/schedules/planningQueries';
import {
  findScheduleTemplate,
  listScheduleTemplates,
  type ScheduleTemplateRow,
} from '../../projections/schedules/scheduleTemplateQueries';
import { assertAdministers, rolesOnly } from '../auth/access';
import type { Principal } from '../auth/principal';
import type { ApiDependencies } from '../dependencies';
import { answerCommand } from '../http/answerCommand';
import { commandMetadata, newEntityId } from '../http/commandMetadata';
import { HttpProblem } from '../http/errorHandler';
import { POSITION_HEADER } from '../http/readYourWrites';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { listAnswer } from '../http/listAnswer';
import { societyActedFor } from '../classes/adminSociety';
import { acceptedSchema } from '../societies/societySchemas';
import {
  templateBody,
  templateChangesBody,
  templateListSchema,
  templateParams,
  templateSchema,
  weekBody,
  weekGenerationSchema,
  weekPlanSchema,
} from './scheduleSchemas';
import { asOnlySolveOf } from './solveAdmission';
import { API_BASE } from '../http/basePath';

const toTemplate = (row: ScheduleTemplateRow) => ({
  id: row.id,
  society_id: row.society_id,
  name: row.name,
  weekday: row.weekday,
  start_time: formatMinute(row.start_minute),
  end_time: formatMinute(row.end_minute),
  duration_minutes: row.end_minute - row.start_minute,
  class_type: row.class_type,
  max_members: row.max_members,
  preferred_trainer_id: row.preferred_trainer_id,
  version: row.version,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

const slotView = (slot: ProposedClass) => ({
  class_id: slot.classId,
  society_id: slot.societyId,
  template_id: slot.templateId,
  name: slot.name,
  class_type: slot.classType,
  date: slot.date,
  start_time: formatMinute(slot.start),
  end_time: formatMinute(slot.end),
  timezone: slot.timezone,
  starts_at: slot.startsAt,
  ends_at: slot.endsAt,
  max_members: slot.maxMembers,
  preferred_trainer_id: slot.preferredTrainerId,
});

const planView = (
  proposal: WeekProposal,
  staffed: readonly ProposedClass[],
  unstaffed: readonly { slot: ProposedClass; reason: string }[],
) => {
  const trainers = new Map(proposal.problem.trainers.map((t) => [t.trainerId, t]));
  const { cost, solver } = proposal.plan;
  return {
    week: proposal.isoWeek,
    week_start: datesOfIsoWeek(proposal.isoWeek)[0]!,
    society_ids: [...proposal.societyIds],
    assignments: staffed.map((slot) => {
      const trainer = slot.trainerId ? trainers.get(slot.trainerId) : undefined;
      return {
        ...slotView(slot),
        trainer_id: slot.trainerId,
        travel_km: trainer ? travelKm(trainer, slot) : null,
      };
    }),
    unstaffed: unstaffed.map(({ slot, reason }) => ({
      ...slotView(slot),
      trainer_id: null,
      travel_km: null,
      reason,
    })),
    already_generated: proposal.alreadyGenerated.map(slotView),
    in_the_past: proposal.inThePast.map(slotView),
    cost: {
      total: cost.total,
      travel_km: cost.travelKm,
      balance: cost.balance,
      preferences_missed: cost.preferencesMissed,
      unstaffed: cost.unstaffed,
      max_load: cost.maxLoad,
      min_load: cost.minLoad,
    },
    solver: {
      method: solver.method,
      status: solver.status,
      seconds: solver.seconds,
      gap: solver.gap,
      variables: solver.variables,
      constraints: solver.constraints,
    },
  };
};

const templateNotFound = (id: string) =>
  new HttpProblem(404, 'schedule-template-not-found', 'Schedule template not found', `No template ${id}`);

export const scheduleRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex, commands, readYourWrites } = deps;
  const base = API_BASE;
  const admins = rolesOnly(['society_admin', 'super_admin'], 'an admin of the society');
  const accepted = json(acceptedSchema, 'Recorded, read side catching up');
  const refusals = problems(400, 401, 403, 404, 409, 422, 503);

  const answerWithTemplate = (
    id: string,
    position: Parameters<typeof answerCommand>[1]['position'],
    created: boolean,
    societyId: string,
  ) =>
    answerCommand(readYourWrites, {
      id,
      position,
      location: created ? `${base}/societies/${societyId}/schedule-templates/${id}` : undefined,
      load: () => findScheduleTemplate(knex, id),
      present: toTemplate,
    });

  const templateOf = async (societyId: string, templateId: string) => {
    const row = await findScheduleTemplate(knex, templateId);
    if (!row || row.society_id !== societyId) throw templateNotFound(templateId);
    return row;
  };

  addRoute(router, book, base, {
    method: 'post',
    path: '/societies/{id}/schedule-templates',
    summary: 'Add a weekly class template (the Sunday generator makes a class from it every week)',
    tags: ['Schedules'],
    access: admins,
    params: idParams,
    body: templateBody,
    responses: { 201: json(templateSchema, 'Created'), 202: accepted, ...refusals },
    handler: async ({ params, body, req, principal }) => {
      assertAdministers(principal, params.id);
      const metadata = commandMetadata(req, 'AddScheduleTemplate');
      const templateId = newEntityId(metadata);
      const outcome = await addScheduleTemplate(
        commands,
        {
          societyId: params.id,
          templateId,
          addedBy: principal.userId,
          details: {
            name: body.name,
            weekday: body.weekday,
            start: body.start_time,
            end: body.start_time + body.duration_minutes,
            classType: body.class_type,
            maxMembers: body.max_members,
            preferredTrainerId: body.preferred_trainer_id,
          },
        },
        metadata,
      );
      return answerWithTemplate(templateId, outcome.position, true, params.id);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/societies/{id}/schedule-templates',
    summary: 'A society’s weekly class templates, Monday first',
    tags: ['Schedules'],
    access: admins,
    params: idParams,
    responses: { 200: json(templateListSchema, 'The templates'), ...problems(400, 401, 403, 503) },
    handler: async ({ params, req, principal }) => {
      assertAdministers(principal, params.id);
      const rows = await listScheduleTemplates(knex, params.id);
      return listAnswer(req, rows.map(toTemplate), null);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/societies/{id}/schedule-templates/{template_id}',
    summary: 'One weekly class template',
    tags: ['Schedules'],
    access: admins,
    params: templateParams,
    responses: { 200: json(templateSchema, 'The template'), ...problems(400, 401, 403, 404, 503) },
    handler: async ({ params, principal }) => {
      assertAdministers(principal, params.id);
      const row = await templateOf(params.id, params.template_id);
      return { status: 200, headers: { ETag: `"${row.version}"` }, body: toTemplate(row) };
    },
  });

  addRoute(router, book, base, {
    method: 'patch',
    path: '/societies/{id}/schedule-templates/{template_id}',
    summary: 'Change a weekly class template (weeks generated already keep their classes)',
    tags: ['Schedules'],
    access: admins,
    params: templateParams,
    body: templateChangesBody,
    responses: { 200: json(templateSchema, 'The template after the change'), 202: accepted, ...refusals },
    handler: async ({ params, body, req, principal }) => {
      assertAdministers(principal, params.id);
      const current = await templateOf(params.id, params.template_id);
      const start = body.start_time ?? current.start_minute;
      const duration = body.duration_minutes ?? current.end_minute - current.start_minute;
      if (start + duration > 1440)
        throw new HttpProblem(
          400,
          'invalid-class-times',
          'Class times fall within one day',
          'The class ends by midnight.',
        );
      const changes: Partial<TemplateDetails> = {
        name: body.name,
        weekday: body.weekday,
        start: body.start_time !== undefined || body.duration_minutes !== undefined ? start : undefined,
        end:
          body.start_time !== undefined || body.duration_minutes !== undefined ? start + duration : undefined,
        classType: body.class_type,
        maxMembers: body.max_members,
        preferredTrainerId: body.preferred_trainer_id,
      };
      const outcome = await changeScheduleTemplate(
        commands,
        { societyId: params.id, templateId: params.template_id, changes },
        commandMetadata(req, 'ChangeScheduleTemplate'),
      );
      return answerWithTemplate(params.template_id, outcome.position, false, params.id);
    },
  });

  addRoute(router, book, base, {
    method: 'delete',
    path: '/societies/{id}/schedule-templates/{template_id}',
    summary: 'Remove a weekly class template (classes already generated stay)',
    tags: ['Schedules'],
    access: admins,
    params: templateParams,
    responses: { 204: { description: 'Removed' }, 202: accepted, ...refusals },
    handler: async ({ params, req, principal }) => {
      assertAdministers(principal, params.id);
      await templateOf(params.id, params.template_id);
      const outcome = await removeScheduleTemplate(
        commands,
        { societyId: params.id, templateId: params.template_id, removedBy: principal.userId },
        commandMetadata(req, 'RemoveScheduleTemplate'),
      );
      const headers = outcome.position ? { [POSITION_HEADER]: formatPosition(outcome.position) } : undefined;
      if (await readYourWrites.caughtUp(outcome.position)) return { status: 204, headers };
      return {
        status: 202,
        headers,
        body: {
          status: 'accepted',
          id: params.template_id,
          position: outcome.position ? formatPosition(outcome.position) : '',
        },
      };
    },
  });

  /**
   * The plan reads trainers' claims from the read side: let it catch up with everything written
   * before the request first (bounded wait), so a plan rarely proposes what a claim then refuses.
   */
  const planOnFreshReadSide = async (req: Parameters<typeof readYourWrites.awaitRequested>[0]) => {
    await readYourWrites.awaitRequested(req);
    await readYourWrites.caughtUp(await deps.store.headPosition());
  };

  /**
   * A society admin plans their own society (the one they administer when unnamed); a super_admin
   * one society or, unnamed, all.
   */
  const societiesToPlan = async (principal: Principal, societyId: string | undefined) => {
    if (!societyId && principal.role === 'super_admin')
      return (await allSocietyClocks(knex)).map((s) => s.id);
    const planned = societyActedFor(principal, societyId);
    assertAdministers(principal, planned);
    return [planned];
  };

  addRoute(router, book, base, {
    method: 'post',
    path: '/schedules/preview',
    summary: 'Propose a week’s classes and trainers from the templates, without writing anything',
    tags: ['Schedules'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the society; super_admin for all'),
    body: weekBody,
    responses: {
      200: json(weekPlanSchema, 'The proposed week'),
      ...problems(400, 401, 403, 404, 422, 429, 503),
    },
    handler: ({ body, req, principal }) =>
      asOnlySolveOf(principal.userId, body.time_limit_seconds, async () => {
        await planOnFreshReadSide(req);
        const societyIds = await societiesToPlan(principal, body.society_id);
        const proposal = await proposeWeek(
          { knex, commands },
          {
            isoWeek: body.week,
            societyIds,
            timeLimitSeconds: body.time_limit_seconds,
            maxCandidatePairs: MAX_CANDIDATE_PAIRS,
          },
        );
        const staffed = proposal.classes.filter((c) => c.trainerId);
        const unstaffed = proposal.classes
          .filter((c) => !c.trainerId)
          .map((slot) => ({
            slot,
            reason: proposal.plan.unstaffed.get(slot.classId) ?? 'trainers-fully-booked',
          }));
        return { status: 200 as const, body: planView(proposal, staffed, unstaffed) };
      }),
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/schedules/generate',
    summary: 'Generate a week: make the proposed classes through the class commands (idempotent per week)',
    tags: ['Schedules'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the society; super_admin for all'),
    body: weekBody,
    responses: {
      200: json(weekGenerationSchema, 'What this request created'),
      ...refusals,
      ...problems(429),
    },
    handler: ({ body, req, principal }) =>
      asOnlySolveOf(principal.userId, body.time_limit_seconds, async () => {
        await planOnFreshReadSide(req);
        const societyIds = await societiesToPlan(principal, body.society_id);
        const generation = await generateWeek(
          { knex, commands },
          {
            isoWeek: body.week,
            societyIds,
            timeLimitSeconds: body.time_limit_seconds,
            maxCandidatePairs: MAX_CANDIDATE_PAIRS,
          },
          {
            actor: { id: principal.userId, role: principal.role },
            correlationId: String(req.id),
          },
        );
        const { position } = generation;
        await readYourWrites.caughtUp(position);
        return {
          status: 200 as const,
          headers: position ? { [POSITION_HEADER]: formatPosition(position) } : undefined,
          body: {
            ...planView(generation.proposal, generation.created, generation.unstaffed),
            created: generation.created.map((c) => c.classId),
          },
        };
      }),
  });

  return router;
};
