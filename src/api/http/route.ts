import type { Request, RequestHandler, Response, Router } from 'express';
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z, type ZodType } from 'zod';
import { RequestValidationError } from './errorHandler';

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Parsed<P, Q, B> {
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

/**
 * One definition, two uses: the express route (parse with zod → handler → answer) and its
 * OpenAPI entry, generated from the same schemas so the document cannot drift from the code.
 */
export const addRoute = <P extends z.ZodObject, Q extends z.ZodObject, B extends ZodType>(
  router: Router,
  registry: OpenAPIRegistry,
  basePath: string,
  route: RouteDefinition<P, Q, B>,
): void => {
  registry.registerPath({
    method: route.method,
    path: `${basePath}${route.path}`,
    summary: route.summary,
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
      parsePart(route.headers, req.headers, 'headers');
      const input = {
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
