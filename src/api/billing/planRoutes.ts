import { idParams } from '../http/requestSchemas';
import { Router } from 'express';
import { createPlan, changePlan, loadPlan, retirePlan } from '../../commands/billing/planCommands';
import { loadMember } from '../../commands/members/memberCommands';
import { normaliseAmount } from '../../events/billing/money';
import { findPlan, listPlans } from '../../projections/billing/billingQueries';
import { findSociety } from '../../projections/societies/societyQueries';
import { assertAdministers, forbidden, rolesOnly, signedIn } from '../auth/access';
import type { Principal } from '../auth/principal';
import type { ApiDependencies } from '../dependencies';
import { answerWithRow } from '../http/answerWithRow';
import { commandMetadata, newEntityId } from '../http/commandMetadata';
import { HttpProblem } from '../http/errorHandler';
import { listAnswer } from '../http/listAnswer';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { acceptedSchema } from '../societies/societySchemas';
import { createPlanBody, listPlansQuery, planListSchema, planSchema, updatePlanBody } from './billingSchemas';
import { toPlan } from './billingPresenters';
import { planSociety } from './planSociety';
import { API_BASE } from '../http/basePath';

const planNotFound = (id: string) =>
  new HttpProblem(404, 'plan-not-found', 'Plan not found', `No plan ${id}`);

/** A society's plan is its admins' (and super_admin's); a plan for every society is super_admin's. */
const assertManagesPlan = (principal: Principal, societyId: string | null) => {
  if (societyId === null) {
    if (principal.role !== 'super_admin')
      throw forbidden(
        'Only a super_admin manages plans offered to every society; for your society’s plans, send its society_id (or omit society_id).',
      );
  } else assertAdministers(principal, societyId);
};

/** The societies whose plans a caller sees when they name none. */
const visibleSocieties = async (deps: ApiDependencies, principal: Principal): Promise<string[] | 'all'> => {
  if (principal.role === 'super_admin') return 'all';
  if (principal.role === 'member') {
    const member = await loadMember(deps.commands, principal.userId);
    return member.exists ? [member.societyId] : [];
  }
  return [...principal.societies];
};

export const planRoutes = (deps: ApiDependencies, book: RouteBook, router: Router): void => {
  const { knex, commands, readYourWrites } = deps;
  const base = API_BASE;
  const accepted = json(acceptedSchema, 'Recorded, read side catching up');
  const answerWithPlan = answerWithRow(readYourWrites, {
    path: (id) => `/subscriptions/${id}`,
    load: (id) => findPlan(knex, id),
    present: toPlan,
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/subscriptions',
    summary: 'List subscription plans (a society’s and those offered to every society)',
    tags: ['Subscriptions'],
    access: signedIn('anyone signed in; without society_id, the plans of the caller’s societies'),
    query: listPlansQuery,
    responses: { 200: json(planListSchema, 'Plans by name'), ...problems(400, 401, 503) },
    handler: async ({ query, req, principal }) => {
      const rows = await listPlans(knex, {
        societyIds: query.society_id ? [query.society_id] : await visibleSocieties(deps, principal),
        includeRetired: query.include_retired === 'true',
      });
      return listAnswer(req, rows.map(toPlan), null);
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/subscriptions',
    summary: 'Create a subscription plan (name unique within its society; exact price and currency)',
    tags: ['Subscriptions'],
    access: rolesOnly(
      ['society_admin', 'super_admin'],
      'an admin of the society; super_admin for every society',
    ),
    body: createPlanBody,
    responses: {
      201: json(planSchema, 'The plan'),
      202: accepted,
      ...problems(400, 401, 403, 409, 422, 503),
    },
    handler: async ({ body, req, principal }) => {
      const societyId = await planSociety(knex, principal, body.society_id);
      assertManagesPlan(principal, societyId);
      if (societyId && !(await findSociety(knex, societyId)))
        throw new HttpProblem(422, 'society-not-found', 'No such society', `No society ${societyId}`);
      const metadata = commandMetadata(req, 'CreatePlan');
      const planId = newEntityId(metadata);
      const outcome = await createPlan(
        commands,
        {
          planId,
          societyId,
          name: body.name,
          price: normaliseAmount(body.price),
          currency: body.currency,
          durationInDays: body.duration_in_days,
          createdBy: principal.userId,
        },
        metadata,
      );
      return answerWithPlan(planId, outcome.position, true);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/subscriptions/{id}',
    summary: 'Get a subscription plan',
    tags: ['Subscriptions'],
    access: signedIn(),
    params: idParams,
    query: listPlansQuery.pick({ min_position: true }),
    responses: { 200: json(planSchema, 'The plan'), ...problems(400, 401, 404, 503) },
    handler: async ({ params }) => {
      const row = await findPlan(knex, params.id);
      if (!row) throw planNotFound(params.id);
      return { status: 200, body: toPlan(row) };
    },
  });

  addRoute(router, book, base, {
    method: 'patch',
    path: '/subscriptions/{id}',
    summary: 'Change a plan’s name, price or duration (current subscribers keep their terms)',
    tags: ['Subscriptions'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the plan’s society'),
    params: idParams,
    body: updatePlanBody,
    responses: {
      200: json(planSchema, 'The plan'),
      202: accepted,
      ...problems(400, 401, 403, 404, 409, 422, 503),
    },
    handler: async ({ params, body, req, principal }) => {
      const plan = await loadPlan(commands, params.id);
      if (!plan.exists) throw planNotFound(params.id);
      assertManagesPlan(principal, plan.societyId);
      const outcome = await changePlan(
        commands,
        {
          planId: params.id,
          changes: {
            name: body.name,
            price: body.price === undefined ? undefined : normaliseAmount(body.price),
            durationInDays: body.duration_in_days,
          },
        },
        commandMetadata(req, 'ChangePlan'),
      );
      return answerWithPlan(params.id, outcome.position, false);
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/subscriptions/{id}/retire',
    summary: 'Retire a plan: no new subscribers; current subscriptions run to their end',
    tags: ['Subscriptions'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of the plan’s society'),
    params: idParams,
    responses: { 200: json(planSchema, 'The plan'), 202: accepted, ...problems(400, 401, 403, 404, 503) },
    handler: async ({ params, req, principal }) => {
      const plan = await loadPlan(commands, params.id);
      if (!plan.exists) throw planNotFound(params.id);
      assertManagesPlan(principal, plan.societyId);
      const outcome = await retirePlan(
        commands,
        { planId: params.id, retiredBy: principal.userId },
        commandMetadata(req, 'RetirePlan'),
      );
      return answerWithPlan(params.id, outcome.position, false);
    },
  });
};
