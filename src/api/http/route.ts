import type { Request, RequestHandler, Response, Router } from 'express';
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z, type ZodType } from 'zod';
import { RequestValidationError } from './errorHandler';
import { describeAccess, enforceAccess, type Access, type SignedInAccess } from '../auth/access';
import type { Principal } from '../auth/principal';
import { IDEMPOTENCY_KEY_MAX_LENGTH, type IdempotencyKeys } from './idempotencyKeys';
import { deriveOperationId, OPERATION_ID } from './operationId';
import { problems } from './responses';

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The caller as the route's declared access guarantees it: always there behind a sign-in policy. */
type PrincipalFor<A extends Access> = A extends SignedInAccess ? Principal : Principal | undefined;

interface Parsed<A extends Access, P, Q, B> {
  principal: PrincipalFor<A>;
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
}

export interface RouteDefinition<
  A extends Access,
  P extends z.ZodObject,
  Q extends z.ZodObject,
  B extends ZodType,
> {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** OpenAPI style: `/societies/{id}`. */
  path: string;
  summary: string;
  /** What the summary cannot hold (shown above the access line). */
  description?: string;
  /** The client method name; derived from method and path when absent (see operationId.ts). */
  operationId?: string;
  tags: string[];
  /** Who may call it. Required: a route without a policy does not compile. */
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * A body the handler reads as raw bytes itself (a signed webhook verifies the bytes before it
   * parses them): documented, not parsed here.
   */
  rawBody?: ZodType;
  /** Request headers the route reads (documented and validated), e.g. If-Match. */
  headers?: z.ZodObject;
  /**
   * On a route open to anonymous callers: who the caller says they are (e.g. a signup's email),
   * so their Idempotency-Key is theirs alone. Signed-in callers are scoped by their principal.
   */
  idempotencyScope?: (body: z.infer<B>) => string;
  responses: RouteConfig['responses'];
  handler: (input: Parsed<A, z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<RouteResult>;
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
  operationId: string;
  access: Access;
}

/** The OpenAPI registry plus the list of routes and their policies (the permission matrix reads it). */
export interface RouteBook {
  registry: OpenAPIRegistry;
  routes: RouteEntry[];
  idempotency: IdempotencyKeys;
  /** Honours a GET's `?min_position=` / ArcFit-Min-Position: waits for it, or refuses it. */
  awaitRequested: (req: Request) => Promise<void>;
}

export const newRouteBook = (
  registry: OpenAPIRegistry,
  idempotency: IdempotencyKeys,
  awaitRequested: RouteBook['awaitRequested'],
): RouteBook => ({
  registry,
  routes: [],
  idempotency,
  awaitRequested,
});

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- express's request type is extended this way
  namespace Express {
    interface Request {
      /** Set when the request carried an Idempotency-Key: the seed of its command ids. */
      idempotencySeed?: string;
    }
  }
}

const minPositionQuery = z.object({
  min_position: z.string().max(50).optional().openapi({
    description:
      'A position a command answered with (ArcFit-Position): the answer waits until the read side includes it',
  }),
});

/** A read's query with `min_position` (kept as declared when the route names it itself). */
const withMinPosition = (query: z.ZodObject | undefined): z.ZodObject => {
  if (!query) return z.strictObject(minPositionQuery.shape);
  // zod refuses to extend a refined object: such a route declares min_position itself.
  return 'min_position' in query.shape ? query : query.extend(minPositionQuery.shape);
};

const idempotencyKeyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(IDEMPOTENCY_KEY_MAX_LENGTH)
    .optional()
    .openapi({
      description:
        'Makes a retry safe: the same key with the same request answers the first outcome and writes nothing; ' +
        'with a different request it is refused 422. Keys are per caller.',
    }),
});

/**
 * A mutating request that names an Idempotency-Key claims it for this caller, operation and
 * request before the handler runs (see idempotencyKeys.ts); its command ids derive from the claim.
 */
const claimIdempotencyKey = async (
  book: RouteBook,
  operation: string,
  req: Request,
  callerScope: string,
  request: unknown,
): Promise<void> => {
  const key = req.get('idempotency-key');
  if (key === undefined) return;
  req.idempotencySeed = await book.idempotency.claim({ key, callerScope, operation, request });
};

/**
 * A command without a body still documents one, so a reader (and the document's test) can tell
 * "takes nothing" from "takes something nobody wrote down". Documentation only: nothing refuses a body.
 */
const noBody = {
  description: 'This command takes no body: send none, or an empty JSON object.',
  required: false,
  content: { 'application/json': { schema: { type: 'object' as const, maxProperties: 0 } } },
};

const documentedBody = (route: { method: string; body?: ZodType; rawBody?: ZodType }) => {
  const schema = route.body ?? route.rawBody;
  if (schema) return { content: { 'application/json': { schema } }, required: true };
  return route.method === 'get' || route.method === 'delete' ? undefined : noBody;
};

/** The route's operationId, refused when malformed or already taken: generated clients need them unique. */
const claimOperationId = (
  book: RouteBook,
  basePath: string,
  route: { method: string; path: string; operationId?: string },
) => {
  // Derived from the path under the base (/api/v1), which every operation shares.
  const operationId = route.operationId ?? deriveOperationId(route.method, route.path);
  if (!OPERATION_ID.test(operationId))
    throw new Error(`operationId ${operationId} (${route.method} ${route.path}) is not camelCase`);
  const holder = book.routes.find((r) => r.operationId === operationId);
  if (holder)
    throw new Error(
      `operationId ${operationId} of ${route.method.toUpperCase()} ${basePath}${route.path} is already ${holder.method} ${holder.path}'s: name one of them with operationId`,
    );
  return operationId;
};

/**
 * One definition, two uses: the express route (parse with zod → handler → answer) and its
 * OpenAPI entry, generated from the same schemas so the document cannot drift from the code.
 */
export const addRoute = <A extends Access, P extends z.ZodObject, Q extends z.ZodObject, B extends ZodType>(
  router: Router,
  book: RouteBook,
  basePath: string,
  route: RouteDefinition<A, P, Q, B>,
): void => {
  const mutating = route.method !== 'get';
  // Every read may wait for a position the caller was given (read-your-writes), here, once.
  const query = mutating ? route.query : withMinPosition(route.query);
  const operation = `${route.method.toUpperCase()} ${basePath}${route.path}`;
  const headers = mutating
    ? (route.headers ?? z.object({})).extend(idempotencyKeyHeader.shape)
    : route.headers;
  const operationId = claimOperationId(book, basePath, route);
  book.routes.push({
    method: route.method.toUpperCase(),
    path: `${basePath}${route.path}`,
    operationId,
    access: route.access,
  });
  const accessLine = `Access: ${describeAccess(route.access)}.`;
  book.registry.registerPath({
    method: route.method,
    path: `${basePath}${route.path}`,
    operationId,
    summary: route.summary,
    description: route.description ? `${route.description}\n\n${accessLine}` : accessLine,
    security: route.access.kind === 'public' ? [] : [{ bearerAuth: [] }],
    tags: route.tags,
    request: {
      params: route.params,
      query,
      headers,
      body: documentedBody(route),
    },
    // A read's ?min_position= may be refused (422: beyond the store's head) or time out (503).
    responses: mutating ? route.responses : { ...problems(422, 503), ...route.responses },
  });
  const handler: RequestHandler = async (req, res, next) => {
    try {
      const principal = enforceAccess(route.access, req) as PrincipalFor<A>;
      parsePart(headers, req.headers, 'headers');
      const input = {
        principal,
        params: parsePart(route.params, req.params, 'params') as z.infer<P>,
        query: parsePart(query, req.query, 'query') as z.infer<Q>,
        body: parsePart(route.body, req.body ?? {}, 'body') as z.infer<B>,
        req,
        res,
      };
      if (mutating) {
        const callerScope = principal
          ? `user:${principal.userId}`
          : `anonymous:${route.idempotencyScope?.(input.body) ?? ''}`;
        await claimIdempotencyKey(book, operation, req, callerScope, {
          params: input.params,
          query: input.query,
          body: input.body,
        });
      }
      if (!mutating) await book.awaitRequested(req);
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
