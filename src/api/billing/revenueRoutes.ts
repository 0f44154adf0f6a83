import { idParams } from '../http/requestSchemas';
import type { Router } from 'express';
import { societyRevenue } from '../../projections/billing/billingQueries';
import { findSociety } from '../../projections/societies/societyQueries';
import { assertAdministers, rolesOnly } from '../auth/access';
import type { ApiDependencies } from '../dependencies';
import { HttpProblem } from '../http/errorHandler';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';

import { revenueQuery, revenueSchema } from './billingSchemas';
import { money } from './billingPresenters';
import { API_BASE } from '../http/basePath';

export const revenueRoutes = (deps: ApiDependencies, book: RouteBook, router: Router): void => {
  const { knex } = deps;
  addRoute(router, book, API_BASE, {
    method: 'get',
    path: '/societies/{id}/revenue',
    summary: 'A society’s revenue: completed payments minus refunds, in total and per month and plan',
    tags: ['Payments'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of this society'),
    params: idParams,
    query: revenueQuery,
    responses: { 200: json(revenueSchema, 'Revenue'), ...problems(400, 401, 403, 404, 503) },
    handler: async ({ params, query, principal }) => {
      assertAdministers(principal, params.id);
      if (!(await findSociety(knex, params.id)))
        throw new HttpProblem(404, 'society-not-found', 'Society not found', `No society ${params.id}`);
      const { lines, totals } = await societyRevenue(knex, {
        societyId: params.id,
        fromMonth: query.from,
        toMonth: query.to,
      });
      // One currency is the normal case; `totals` keeps each apart when a society uses several.
      const main = totals.length === 1 ? totals[0]! : undefined;
      return {
        status: 200,
        body: {
          id: params.id,
          revenue: money(main?.net ?? '0.00'),
          currency: main?.currency ?? null,
          totals: totals.map((t) => ({ currency: t.currency, revenue: money(t.net) })),
          breakdown: lines.map((line) => ({
            ...line,
            completed: money(line.completed),
            refunded: money(line.refunded),
            net: money(line.net),
          })),
        },
      };
    },
  });
};
