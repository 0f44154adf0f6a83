import { randomUUID, type KeyObject } from 'node:crypto';
import express, { type Request, type Response, type NextFunction, type RequestHandler } from 'express';
import helmet from 'helmet';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import client from 'prom-client';
import type pg from 'pg';
import { z } from 'zod';
import { authenticate, signedIn, type Role } from './auth';
import { book, cancel, type BookingRow } from './booking';
import { problemHandler, Problem } from './problem';
import {
  getClass,
  listClasses,
  listMemberBookings,
  listSocieties,
  parse,
  showBooking,
  uuid,
  type ListAnswer,
} from './reads';

/**
 * The CRUD baseline's HTTP edge: the middleware the project runs on every request where it costs
 * something (pino-http with a silent logger, helmet, a prom-client duration histogram, the JSON
 * body parser, bearer-token verification with the user read fresh), then the routes of the subset.
 */
const handle =
  (work: (req: Request, res: Response) => Promise<void>): RequestHandler =>
  (req, res, next: NextFunction) =>
    void work(req, res).catch(next);

const sendList = (res: Response, { body, nextCursor }: ListAnswer) => {
  if (nextCursor) res.set('ArcFit-Next-Cursor', nextCursor);
  res.json(body);
};

const durationHistogram = () => {
  const registry = new client.Registry();
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
  return middleware;
};

const bookingBody = z.object({ event_id: uuid.optional(), member_id: uuid.optional() });
const idempotencyKey = z.string().min(1).max(200).optional();
const BOOKERS: Role[] = ['member', 'society_admin', 'super_admin'];

const booked = (res: Response, row: BookingRow) =>
  void res.status(201).location(`/api/v1/members/${row.member_id}/bookings`).json(showBooking(row));

export const createCrudApp = (pool: pg.Pool, key: KeyObject) => {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(
    pinoHttp({
      logger: pino({ level: 'silent' }),
      genReqId: (_req, res) => {
        const id = randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
    }),
  );
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(durationHistogram());
  app.use(express.json({ limit: '100kb', strict: true }));
  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  app.use(authenticate(pool, key));

  const api = express.Router();
  const who = (req: Request, roles?: Role[]) => signedIn(req.crudPrincipal, req.crudAuthFailure, roles);
  api.get(
    '/societies',
    handle(async (req, res) => sendList(res, await listSocieties(pool, req))),
  );
  api.get(
    '/events',
    handle(async (req, res) => sendList(res, await listClasses(pool, who(req), req))),
  );
  api.get(
    '/events/:id',
    handle(async (req, res) => {
      const { etag, body } = await getClass(pool, who(req), parse(uuid, req.params.id, 'params'));
      res.set('ETag', etag).json(body);
    }),
  );
  api.get(
    '/members/:id/bookings',
    handle(async (req, res) => sendList(res, await listMemberBookings(pool, who(req), req))),
  );
  const bookFrom = (classOf: (req: Request, body: z.infer<typeof bookingBody>) => string | undefined) =>
    handle(async (req, res) => {
      const principal = who(req, BOOKERS);
      const body = parse(bookingBody, req.body ?? {}, 'body');
      const classId = classOf(req, body);
      if (!classId)
        throw new Problem(400, 'validation-error', 'The request is not valid', 'event_id is required.');
      const key = parse(idempotencyKey, req.get('idempotency-key'), 'headers');
      booked(res, await book(pool, { principal, classId, memberId: body.member_id, idempotencyKey: key }));
    });
  api.post(
    '/bookings',
    bookFrom((_req, body) => body.event_id),
  );
  api.post(
    '/events/:id/bookings',
    bookFrom((req) => parse(uuid, req.params.id, 'params')),
  );
  api.delete(
    '/bookings/:id',
    handle(async (req, res) => {
      const row = await cancel(pool, who(req), parse(uuid, req.params.id, 'params'));
      res.json({ id: row.id, status: row.status, updated_at: row.updated_at.toISOString() });
    }),
  );
  app.use('/api/v1', api);
  app.use((_req, _res, next) => next(new Problem(404, 'not-found', 'Not found', 'No such route.')));
  app.use(problemHandler);
  return app;
};
