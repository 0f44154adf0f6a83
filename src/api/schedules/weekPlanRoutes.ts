import { Router, type Request } from 'express';
import type { z } from 'zod';
import { MAX_CANDIDATE_PAIRS } from '../../commands/schedules/solveLimits';
import { generateWeek, proposeWeek } from '../../commands/schedules/weekGeneration';
import { allSocietyClocks } from '../../projections/schedules/planningQueries';
import { assertAdministers, rolesOnly } from '../auth/access';
import type { Principal } from '../auth/principal';
import { societyActedFor } from '../classes/adminSociety';
import type { ApiDependencies } from '../dependencies';
import { positionHeaders } from '../http/acceptedAnswer';
import { API_BASE } from '../http/basePath';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { weekBody, weekGenerationSchema, weekPlanSchema } from './scheduleSchemas';
import { asOnlySolveOf } from './solveAdmission';
import { planView, staffingOf } from './weekPlanView';

/** Planning a week from the templates: a preview that writes nothing, and the generation itself. */
export const weekPlanRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex, commands, readYourWrites } = deps;
  const base = API_BASE;
  const planners = rolesOnly(
    ['society_admin', 'super_admin'],
    'an admin of the society; super_admin for all',
  );

  /**
   * The plan reads trainers' claims from the read side: let it catch up with everything written
   * before the request first (bounded wait), so a plan rarely proposes what a claim then refuses.
   */
  const planOnFreshReadSide = async (req: Request) => {
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

  const weekToPlan = async (req: Request, principal: Principal, body: z.infer<typeof weekBody>) => {
    await planOnFreshReadSide(req);
    return {
      isoWeek: body.week,
      societyIds: await societiesToPlan(principal, body.society_id),
      timeLimitSeconds: body.time_limit_seconds,
      maxCandidatePairs: MAX_CANDIDATE_PAIRS,
    };
  };

  addRoute(router, book, base, {
    method: 'post',
    path: '/schedules/preview',
    summary: 'Propose a week’s classes and trainers from the templates, without writing anything',
    tags: ['Schedules'],
    access: planners,
    body: weekBody,
    responses: {
      200: json(weekPlanSchema, 'The proposed week'),
      ...problems(400, 401, 403, 404, 422, 429, 503),
    },
    handler: ({ body, req, principal }) =>
      asOnlySolveOf(principal.userId, body.time_limit_seconds, async () => {
        const proposal = await proposeWeek({ knex, commands }, await weekToPlan(req, principal, body));
        const { staffed, unstaffed } = staffingOf(proposal);
        return { status: 200 as const, body: planView(proposal, staffed, unstaffed) };
      }),
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/schedules/generate',
    summary: 'Generate a week: make the proposed classes through the class commands (idempotent per week)',
    tags: ['Schedules'],
    access: planners,
    body: weekBody,
    responses: {
      200: json(weekGenerationSchema, 'What this request created'),
      ...problems(400, 401, 403, 404, 409, 422, 429, 503),
    },
    handler: ({ body, req, principal }) =>
      asOnlySolveOf(principal.userId, body.time_limit_seconds, async () => {
        const generation = await generateWeek({ knex, commands }, await weekToPlan(req, principal, body), {
          actor: { id: principal.userId, role: principal.role },
          correlationId: String(req.id),
        });
        const { position } = generation;
        await readYourWrites.caughtUp(position);
        return {
          status: 200 as const,
          headers: positionHeaders(position),
          body: {
            ...planView(generation.proposal, generation.created, generation.unstaffed),
            created: generation.created.map((c) => c.classId),
          },
        };
      }),
  });

  return router;
};
