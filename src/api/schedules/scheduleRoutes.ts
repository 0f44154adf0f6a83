import { Router } from 'express';
import type { ApiDependencies } from '../dependencies';
import type { RouteBook } from '../http/route';
import { scheduleTemplateRoutes } from './scheduleTemplateRoutes';
import { weekPlanRoutes } from './weekPlanRoutes';

/**
 * Schedules: a society's weekly templates, and the weeks planned from them. The routes live next
 * door (scheduleTemplateRoutes, weekPlanRoutes); this router mounts them in the documented order.
 */
export const scheduleRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  router.use(scheduleTemplateRoutes(deps, book));
  router.use(weekPlanRoutes(deps, book));
  return router;
};
