import { Router } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { openapiDocument, type OpenApiDocument } from './openapiDocument';

/**
 * What Swagger UI needs and no more: its scripts and stylesheet come from this origin (the page
 * has no inline script), it styles itself inline and draws icons from data: URIs, and it fetches
 * the document and tries requests against this origin only. Nothing may frame it or post forms
 * elsewhere.
 */
const docsContentSecurityPolicy = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
});

/** Serves the OpenAPI 3.1 document built from the routes' own zod schemas, and a page to try it. */
export const openapiRoutes = (registry: OpenAPIRegistry): Router => {
  let document: OpenApiDocument | undefined;
  const build = () => (document ??= openapiDocument(registry));
  const router = Router();
  router.get('/api/v1/openapi.json', (_req, res) => res.json(build()));
  router.use(
    '/api/v1/docs',
    docsContentSecurityPolicy,
    swaggerUi.serve,
    // validatorUrl null: no badge fetched from validator.swagger.io (the policy would block it anyway).
    swaggerUi.setup(undefined, { swaggerOptions: { url: '/api/v1/openapi.json', validatorUrl: null } }),
  );
  return router;
};
