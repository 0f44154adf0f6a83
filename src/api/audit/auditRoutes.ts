import { idParams } from '../http/requestSchemas';
import { Router } from 'express';
import type { RecordedEvent } from '../../events/store/eventStore';
import { formatPosition, parsePosition } from '../../events/store/position';
import {
  bookingHistory,
  classHistory,
  memberHistory,
  paymentHistory,
  type EntityHistory,
} from '../../commands/audit/entityHistory';
import { readAuditTrail, type AuditTrailFilter } from '../../commands/audit/auditTrail';
import { chainVerificationStatus } from '../../commands/audit/chainVerification';
import { createAuditor } from '../../commands/audit/createAuditor';
import { erasePerson, ErasureUnavailableError, PersonNotFoundError } from '../../commands/audit/erasePerson';
import { CommandRefusedError } from '../../commands/handling/commandHandler';
import { auditorsOnly, rolesOnly } from '../auth/access';
import type { ApiDependencies } from '../dependencies';
import { HttpProblem } from '../http/errorHandler';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { POSITION_HEADER } from '../http/readYourWrites';
import {
  asOfQuery,
  auditExportQuery,
  auditorSchema,
  auditTrailQuery,
  auditTrailSchema,
  chainReportSchema,
  chainVerificationQuery,
  createAuditorBody,
  erasureSchema,
  historySchema,
} from './auditSchemas';
import { snakeCaseKeys } from './snakeCaseKeys';
import { z } from '../openapi/zod';
import { API_BASE } from '../http/basePath';

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export const toFact = (e: RecordedEvent) => ({
  position: formatPosition(e.position),
  stream_id: e.streamId,
  revision: e.revision,
  event_id: e.id,
  type: e.type,
  occurred_at: e.createdAt.toISOString(),
  actor: e.metadata.actor ?? null,
  command_id: text(e.metadata.commandId),
  correlation_id: text(e.metadata.correlationId),
  causation_id: text(e.metadata.causationId),
  data: e.data,
  hash: e.hash ?? null,
});

const trailFilter = (query: {
  type?: string[];
  stream?: string;
  society_id?: string;
  from?: string;
  to?: string;
  after?: string;
}): AuditTrailFilter => ({
  types: query.type,
  stream: query.stream,
  societyId: query.society_id,
  from: query.from ? new Date(query.from) : undefined,
  to: query.to ? new Date(query.to) : undefined,
  after: query.after ? parsePosition(query.after) : undefined,
});

const EXPORT_PAGE = 1000;

/**
 * Auditors' routes: the history of a booking, payment, member or class (every fact with time,
 * actor, command and causation; `?as_of=` adds the state folded up to that instant), the audit
 * trail (filtered, keyset paged, or exported as NDJSON for offline replay), the hash-chain check.
 */
export const auditRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex, store, commands } = deps;
  const base = API_BASE;

  const historyRoute = (
    path: string,
    what: string,
    notFound: string,
    load: (id: string, asOf?: Date) => Promise<EntityHistory | undefined>,
  ) =>
    addRoute(router, book, base, {
      method: 'get',
      path,
      summary: `The ${what}’s history: every fact in order; with as_of, its state at that instant`,
      tags: ['Audit'],
      access: auditorsOnly(),
      params: idParams,
      query: asOfQuery,
      responses: { 200: json(historySchema, 'Facts in `$all` order'), ...problems(400, 401, 403, 404) },
      handler: async ({ params, query }) => {
        const asOf = query.as_of ? new Date(query.as_of) : undefined;
        const history = await load(params.id, asOf);
        if (!history)
          throw new HttpProblem(404, notFound, `${what[0]!.toUpperCase()}${what.slice(1)} not found`);
        return {
          status: 200,
          body: {
            id: params.id,
            as_of: asOf?.toISOString() ?? null,
            // snake_case at the edge; the trail and its export keep the recorded data verbatim
            // (what the hash chain covers).
            facts: history.facts.map((e) => ({ ...toFact(e), data: snakeCaseKeys(e.data) })),
            ...(asOf ? { state: snakeCaseKeys(history.state) } : {}),
          },
        };
      },
    });

  historyRoute('/bookings/{id}/history', 'booking', 'booking-not-found', (id, asOf) =>
    bookingHistory(knex, store, id, asOf),
  );
  historyRoute('/payments/{id}/history', 'payment', 'payment-not-found', (id, asOf) =>
    paymentHistory(store, id, asOf),
  );
  historyRoute('/members/{id}/history', 'member', 'member-not-found', (id, asOf) =>
    memberHistory(store, id, asOf),
  );
  historyRoute('/events/{id}/history', 'class', 'class-not-found', (id, asOf) =>
    classHistory(store, id, asOf),
  );

  addRoute(router, book, base, {
    method: 'get',
    path: '/audit/events',
    summary: 'The audit trail: stored events by type, stream, society and time, in commit order',
    tags: ['Audit'],
    access: auditorsOnly(),
    query: auditTrailQuery,
    responses: { 200: json(auditTrailSchema, 'One page'), ...problems(400, 401, 403) },
    handler: async ({ query }) => {
      const events = await readAuditTrail(knex, trailFilter(query), query.limit + 1);
      const page = events.slice(0, query.limit);
      return {
        status: 200,
        body: {
          events: page.map(toFact),
          next_cursor: events.length > query.limit ? formatPosition(page[page.length - 1]!.position) : null,
        },
      };
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/audit/events/export',
    summary: 'The audit trail as NDJSON (one stored event per line, hash included) for offline replay',
    tags: ['Audit'],
    access: auditorsOnly(),
    query: auditExportQuery,
    responses: {
      200: {
        description: 'application/x-ndjson',
        content: { 'application/x-ndjson': { schema: { type: 'string' } } },
      },
      ...problems(400, 401, 403),
    },
    handler: async ({ query, res }) => {
      const filter = trailFilter(query);
      res.status(200).type('application/x-ndjson; charset=utf-8');
      // Paged, so an export of the whole store never sits in memory; the connection is freed per page.
      for (let after = filter.after; ;) {
        const page = await readAuditTrail(knex, { ...filter, after }, EXPORT_PAGE);
        if (page.length > 0) res.write(page.map((e) => JSON.stringify(toFact(e))).join('\n') + '\n');
        if (page.length < EXPORT_PAGE) break;
        after = page[page.length - 1]!.position;
      }
      return { status: 200 };
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/audit/hash-chains',
    summary:
      'The hash chains as last verified: every stream checked up to `verified_through`, the first broken link of each',
    tags: ['Audit'],
    access: auditorsOnly(),
    responses: { 200: json(chainReportSchema, 'ok is false when any link is broken'), ...problems(401, 403) },
    // Verification walks the whole log: it runs as a job (hash_chain_verification), never in a request.
    handler: async () => {
      const status = await chainVerificationStatus(knex);
      return {
        status: 200,
        body: {
          ok: status.brokenLinks.length === 0,
          events_checked: status.eventsChecked,
          streams_checked: status.streamsChecked,
          broken_links: status.brokenLinks.map((l) => ({
            stream_id: l.streamId,
            revision: l.revision,
            event_id: l.eventId,
            reason: l.reason,
            expected: l.expected,
            found: l.found,
          })),
          head_digest: status.headDigest,
          verified_through: formatPosition(status.verifiedThrough),
          started_at: status.startedAt?.toISOString() ?? null,
          finished_at: status.finishedAt?.toISOString() ?? null,
        },
      };
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/audit/hash-chains/verification',
    summary:
      'Start verifying the hash chains now, in the background (GET /audit/hash-chains shows the outcome)',
    tags: ['Audit'],
    access: auditorsOnly(),
    query: chainVerificationQuery,
    responses: {
      202: json(z.object({ run_id: z.string() }), 'Started'),
      ...problems(401, 403, 409, 503),
    },
    handler: async ({ query }) => {
      const task = query.from_start === 'true' ? 'hash_chain_full_verification' : 'hash_chain_verification';
      const scheduler = deps.jobs?.scheduler;
      if (!scheduler?.hasTask(task))
        throw new HttpProblem(
          503,
          'jobs-unavailable',
          'Verification does not run in this process',
          `No ${task} job here.`,
        );
      const started = await scheduler.trigger(task);
      if (started === 'skipped')
        throw new HttpProblem(
          409,
          'verification-in-progress',
          'A verification is already running',
          'Wait for it: GET /audit/hash-chains shows its progress (finished_at is null until it ends).',
        );
      return {
        status: 202,
        headers: { Location: `${base}/audit/hash-chains` },
        body: { run_id: started.runId },
      };
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/auditors',
    summary: 'Create an auditor account (read-only: history, audit trail, hash chains)',
    tags: ['Audit'],
    access: rolesOnly(['super_admin']),
    body: createAuditorBody,
    responses: { 201: json(auditorSchema, 'Created'), ...problems(400, 401, 403, 409) },
    handler: async ({ body, principal }) => {
      try {
        const created = await createAuditor(commands, body, {
          actor: { id: principal.userId, role: principal.role },
        });
        // The auditor signs in next: the login reads the users table, so wait for it to show them.
        const seen = await deps.readYourWrites.caughtUp(created.position);
        return {
          status: seen ? 201 : 202,
          headers: created.position ? { [POSITION_HEADER]: formatPosition(created.position) } : undefined,
          body: { id: created.userId, name: body.name, email: created.email, role: 'auditor' as const },
        };
      } catch (error) {
        if (error instanceof CommandRefusedError && error.refusal.type === 'email-taken')
          throw new HttpProblem(409, 'user-exists', 'This account already exists');
        throw error;
      }
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/users/{id}/erasure',
    summary: 'Erase a person: delete their data key, scrub their details from every table',
    tags: ['Audit'],
    access: rolesOnly(['super_admin'], 'irreversible'),
    params: idParams,
    responses: {
      200: json(erasureSchema, 'Erased everywhere'),
      202: json(erasureSchema, 'Key deleted and tables scrubbed; the read side was still catching up'),
      ...problems(401, 403, 404, 503),
    },
    handler: async ({ params, principal }) => {
      try {
        const outcome = await erasePerson(
          {
            knex,
            store,
            waitForReadSide: (position) => deps.readYourWrites.caughtUp(position),
          },
          params.id,
          principal.userId,
        );
        return {
          status: outcome.readSideCaughtUp ? 200 : 202,
          body: {
            subject_id: outcome.subjectId,
            key_deleted: outcome.keyDeleted,
            rows_scrubbed: outcome.rowsScrubbed,
            read_side_caught_up: outcome.readSideCaughtUp,
            columns_not_scrubbed: outcome.columnsNotScrubbed,
          },
        };
      } catch (error) {
        if (error instanceof PersonNotFoundError)
          throw new HttpProblem(
            404,
            'person-not-found',
            'Person not found',
            `No user, member or trainer ${params.id}`,
          );
        if (error instanceof ErasureUnavailableError)
          throw new HttpProblem(503, 'erasure-unavailable', 'Erasure is not available', error.message);
        throw error;
      }
    },
  });

  return router;
};
