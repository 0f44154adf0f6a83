import type { Request, RequestHandler, Response, Router } from 'express';
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z, type ZodType } from 'zod';
import { RequestValidationError } from './errorHandler';
import { describeAccess, enforceAccess, type Access } from '../auth/access';
import type { Principal } from '../auth/principal';

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Parsed<P, Q, B> {
  /** Present on every route whose policy requires sign-in. */
  principal: Principal | undefined;
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
}

export interface RouteDefinition<P extends z.ZodObject, Q extends z.ZodObject, B extends ZodType> {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** OpenAPI style: `/societies/{id}`. */
  path: string;
  summary: string;
  tags: string[];
  /** Who may call it. Required: a route without a policy does not compile. */
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** Request headers the route reads (documented and validated), e.g. If-Match. */
  headers?: z.ZodObject;
  responses: RouteConfig['responses'];
  handler: (input: Parsed<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<RouteResult>;
}

const toExpressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

const parsePart = <T extends ZodType>(
  schema: T | undefined,
  value: unknown,
  part: RequestValidationError['part'],
) => {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw new RequestValidationError(part, result.error);
  return result.data;
};

export interface RouteEntry {
  method: string;
  path: string;
  access: Access;
}

/** The OpenAPI registry plus the list of routes and their policies (the permission matrix reads it). */
export interface RouteBook {
  registry: OpenAPIRegistry;
  routes: RouteEntry[];
}

export const newRouteBook = (registry: OpenAPIRegistry): RouteBook => ({ registry, routes: [] });

/**
 * One definition, two uses: the express route (parse with zod → handler → answer) and its
 * OpenAPI entry, generated from the same schemas so the document cannot drift from the code.
 */
export const addRoute = <P extends z.ZodObject, Q extends z.ZodObject, B extends ZodType>(
  router: Router,
  book: RouteBook,
  basePath: string,
  route: RouteDefinition<P, Q, B>,
): void => {
  book.routes.push({
    method: route.method.toUpperCase(),
    path: `${basePath}${route.path}`,
    access: route.access,
  });
  book.registry.registerPath({
    method: route.method,
    path: `${basePath}${route.path}`,
    summary: route.summary,
    description: `Access: ${describeAccess(route.access)}.`,
    security: route.access.kind === 'public' ? [] : [{ bearerAuth: [] }],
    tags: route.tags,
    request: {
      params: route.params,
      query: route.query,
      headers: route.headers,
      body: route.body
        ? { content: { 'application/json': { schema: route.body } }, required: true }
        : undefined,
    },
    responses: route.responses,
  });
  const handler: RequestHandler = async (req, res, next) => {
    try {
      const principal = enforceAccess(route.access, req);
      parsePart(route.headers, req.headers, 'headers');
      const input = {
        principal,
        params: parsePart(route.params, req.params, 'params') as z.infer<P>,
        query: parsePart(route.query, req.query, 'query') as z.infer<Q>,
        body: parsePart(route.body, req.body ?? {}, 'body') as z.infer<B>,
        req,
        res,
      };
      const result = await route.handler(input);
      if (result.headers) res.set(result.headers);
      if (result.body === undefined) res.status(result.status).end();
      else res.status(result.status).json(result.body);
    } catch (error) {
      next(error);
    }
  };
  router[route.method](toExpressPath(route.path), handler);
};
