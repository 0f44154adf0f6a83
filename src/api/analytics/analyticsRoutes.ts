import { idParams } from '../http/requestSchemas';
import { Router } from 'express';
import { classAnalytics, societyAnalytics } from '../../projections/analytics/analyticsQueries';
import { findSociety } from '../../projections/societies/societyQueries';
import { assertAdministers, rolesOnly } from '../auth/access';
import type { ApiDependencies } from '../dependencies';
import { HttpProblem } from '../http/errorHandler';
import { json, problems } from '../http/responses';
import { asMoney } from '../http/moneyJson';
import { addRoute, type RouteBook } from '../http/route';
import { classAnalyticsSchema, societyAnalyticsQuery, societyAnalyticsSchema } from './analyticsSchemas';
import { API_BASE } from '../http/basePath';

/** Sums stay exact decimals in SQL; only the answer is the spec's JSON number. */
const money = (amount: string): number => asMoney(amount) ?? 0;

const adminsOnly = rolesOnly(['society_admin', 'super_admin'], 'an admin of the society');

/** Society and class analytics over the read tables (docs/analytics.md defines every figure). */
export const analyticsRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex } = deps;
  const base = API_BASE;

  addRoute(router, book, base, {
    method: 'get',
    path: '/societies/{id}/analytics',
    summary: 'Society analytics: members, bookings, booking rate, revenue, weekly trends',
    tags: ['Analytics'],
    access: adminsOnly,
    params: idParams,
    query: societyAnalyticsQuery,
    responses: {
      200: json(societyAnalyticsSchema, 'Figures as the read tables show them now'),
      ...problems(400, 401, 403, 404),
    },
    handler: async ({ params, query, principal }) => {
      if (!(await findSociety(knex, params.id)))
        throw new HttpProblem(404, 'society-not-found', 'Society not found', `No society ${params.id}`);
      assertAdministers(principal, params.id);
      const figures = await societyAnalytics(knex, params.id, query.weeks);
      return {
        status: 200,
        body: {
          id: params.id,
          society_id: params.id,
          ...figures,
          total_revenue: money(figures.total_revenue),
          revenue_by_currency: figures.revenue_by_currency.map((r) => ({ ...r, net: money(r.net) })),
        },
      };
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/events/{id}/analytics',
    summary: 'Class analytics: attendance, bookings, waitlist, cancellations, allocated revenue',
    tags: ['Analytics'],
    access: adminsOnly,
    params: idParams,
    responses: {
      200: json(classAnalyticsSchema, 'Figures as the read tables show them now'),
      ...problems(400, 401, 403, 404),
    },
    handler: async ({ params, principal }) => {
      const figures = await classAnalytics(knex, params.id);
      if (!figures) throw new HttpProblem(404, 'class-not-found', 'Class not found', `No class ${params.id}`);
      assertAdministers(principal, figures.society_id);
      return {
        status: 200,
        body: { event_id: params.id, ...figures, revenue_generated: money(figures.revenue_generated) },
      };
    },
  });

  return router;
};
