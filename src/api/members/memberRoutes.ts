import { idParams } from '../http/requestSchemas';
import { memberNotFound } from './memberNotFound';
import { Router, type Request } from 'express';
import type { z } from '../openapi/zod';
import { answerWithRow } from '../http/answerWithRow';
import { listAnswer } from '../http/listAnswer';
import { asMoney } from '../http/moneyJson';
import { decodeCursor, encodeCursor } from '../http/keysetCursor';
import {
  applyForMembership,
  changeMemberProfile,
  decideMembership,
  loadMember,
  onboardMember,
} from '../../commands/members/memberCommands';
import { findMember, listSocietyMembers, type MemberRow } from '../../projections/members/memberQueries';
import { findUser } from '../../projections/identity/userQueries';
import { findSociety } from '../../projections/societies/societyQueries';
import { assertAdministers, canAdminister, rolesOnly, signedIn } from '../auth/access';
import type { Principal } from '../auth/principal';
import type { ApiDependencies } from '../dependencies';
import { commandMetadata, newEntityId } from '../http/commandMetadata';
import { HttpProblem } from '../http/errorHandler';
import { json, problems } from '../http/responses';
import { addRoute, type RouteBook } from '../http/route';
import { acceptedSchema } from '../societies/societySchemas';
import {
  decideMemberBody,
  getMemberQuery,
  listMembersQuery,
  memberListSchema,
  memberSchema,
  onboardMemberBody,
  updateMemberBody,
} from './memberSchemas';
import { API_BASE } from '../http/basePath';

const toMember = (row: MemberRow) => ({
  id: row.id,
  name: row.name,
  email: row.email,
  phone_number: row.phone_number,
  phone_verified: row.phone_verified,
  status: row.status,
  society_id: row.society_id,
  society: { id: row.society_id, name: row.society_name },
  subscription_id: row.plan_id,
  // The spec's member answer shows the plan itself; null until the member holds one.
  subscription:
    row.plan_id !== null && row.plan_name !== null
      ? { id: row.plan_id, name: row.plan_name, price: asMoney(row.plan_price) }
      : null,
  self_registered: row.self_registered,
  onboarded_by: row.onboarded_by,
  decided_by: row.decided_by,
  decision_reason: row.decision_reason,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

/** A self-registered member's id is their user id: that is how "the member themself" is known. */
const mayRead = (principal: Principal, member: { id: string; societyId: string }) =>
  principal.userId === member.id || canAdminister(principal, member.societyId);

/** Callers who may not see a member are told it does not exist: ids must not reveal who applied. */

/** 400 naming the fields a request left out (the validation-error shape the schemas give). */
const missingDetails = (fields: string[], detail: string) =>
  new HttpProblem(
    400,
    'validation-error',
    'The request is not valid',
    `${detail} Missing: ${fields.join(', ')}.`,
    {
      errors: fields.map((path) => ({ in: 'body', path, message: 'Required' })),
    },
  );

const alreadyApplied = (status: string) =>
  new HttpProblem(
    409,
    'member-exists',
    'You already have a membership',
    `You already applied to a society (your membership is ${status}); an account holds one membership.`,
  );

type OnboardBody = z.infer<typeof onboardMemberBody>;

const accepted = json(acceptedSchema, 'Recorded, read side catching up');

export const memberRoutes = (deps: ApiDependencies, book: RouteBook): Router => {
  const router = Router();
  const { knex, commands, readYourWrites } = deps;
  const base = API_BASE;

  /** A command's answer: the row as the read side now shows it, or 202 with the position to wait for. */
  const answerWithMember = answerWithRow(readYourWrites, {
    path: (id) => `/members/${id}`,
    load: (id) => findMember(knex, id),
    present: toMember,
  });

  /**
   * A member who signed up without a society applies to one: their member id is their user id,
   * and their account's name, email and phone stand unless the body gives others.
   */
  const applyAsMember = async (body: OnboardBody, req: Request, principal: Principal) => {
    const existing = await loadMember(commands, principal.userId);
    if (existing.exists) throw alreadyApplied(existing.status);
    await ensureSociety(body.society_id);
    const user = (await findUser(knex, principal.userId))!;
    const phoneNumber = body.phone_number ?? user.phone_number;
    if (!phoneNumber) throw missingDetails(['phone_number'], 'Your account has no phone number; give one.');
    const outcome = await applyForMembership(
      commands,
      {
        memberId: principal.userId,
        userId: principal.userId,
        name: body.name ?? user.name,
        email: body.email ?? user.email,
        phoneNumber,
        societyId: body.society_id,
        subscriptionId: body.subscription_id ?? null,
      },
      commandMetadata(req, 'ApplyForMembership'),
    );
    return answerWithMember(principal.userId, outcome.position, true);
  };

  const ensureSociety = async (societyId: string) => {
    if (!(await findSociety(knex, societyId)))
      throw new HttpProblem(422, 'society-not-found', 'No such society to join', `No society ${societyId}`);
  };

  addRoute(router, book, base, {
    method: 'post',
    path: '/members',
    summary:
      'Onboard a member (pending until another admin approves: maker-checker), or — called by a member — apply to a society',
    tags: ['Members'],
    access: rolesOnly(
      ['member', 'society_admin', 'super_admin'],
      'an admin of the member’s society (the maker), or a member applying for themself',
    ),
    body: onboardMemberBody,
    responses: {
      201: json(memberSchema, 'Onboarded (or applied), pending approval'),
      202: accepted,
      ...problems(400, 401, 403, 409, 422, 503),
    },
    handler: async ({ body, req, principal }) => {
      if (principal.role === 'member') return applyAsMember(body, req, principal);
      assertAdministers(principal, body.society_id);
      const { name, email, phone_number: phoneNumber } = body;
      if (name === undefined || email === undefined || phoneNumber === undefined) {
        const missing = Object.entries({ name, email, phone_number: phoneNumber })
          .filter(([, value]) => value === undefined)
          .map(([field]) => field);
        throw missingDetails(
          missing,
          'An admin onboarding a member gives their name, email and phone_number.',
        );
      }
      await ensureSociety(body.society_id);
      const metadata = commandMetadata(req, 'OnboardMember');
      const memberId = newEntityId(metadata);
      const outcome = await onboardMember(
        commands,
        {
          memberId,
          name,
          email,
          phoneNumber,
          societyId: body.society_id,
          subscriptionId: body.subscription_id ?? null,
          onboardedBy: principal.userId,
        },
        metadata,
      );
      return answerWithMember(memberId, outcome.position, true);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/members/{id}',
    summary: 'Get a member',
    tags: ['Members'],
    access: signedIn('the member themself, an admin of their society or super_admin; others get 404'),
    params: idParams,
    query: getMemberQuery,
    responses: { 200: json(memberSchema, 'The member'), ...problems(400, 401, 404, 503) },
    handler: async ({ params, principal }) => {
      const row = await findMember(knex, params.id);
      if (!row || !mayRead(principal, { id: row.id, societyId: row.society_id }))
        throw memberNotFound(params.id);
      return { status: 200, body: toMember(row) };
    },
  });

  addRoute(router, book, base, {
    method: 'patch',
    path: '/members/{id}',
    summary: 'Change a member’s name, email or phone number (a new phone is unverified)',
    tags: ['Members'],
    access: signedIn('the member themself or an admin of their society; others get 404'),
    params: idParams,
    body: updateMemberBody,
    responses: {
      200: json(memberSchema, 'The member after the change'),
      202: accepted,
      ...problems(400, 401, 404, 409, 503),
    },
    handler: async ({ params, body, req, principal }) => {
      const member = await loadMember(commands, params.id);
      if (!member.exists || !mayRead(principal, { id: params.id, societyId: member.societyId }))
        throw memberNotFound(params.id);
      const outcome = await changeMemberProfile(
        commands,
        {
          memberId: params.id,
          changes: { name: body.name, email: body.email, phoneNumber: body.phone_number },
        },
        commandMetadata(req, 'ChangeMemberProfile'),
      );
      return answerWithMember(params.id, outcome.position, false);
    },
  });

  addRoute(router, book, base, {
    method: 'post',
    path: '/members/{id}/status',
    summary: 'Approve or reject a membership (the checker must not be the admin who onboarded it)',
    tags: ['Members'],
    access: rolesOnly(
      ['society_admin', 'super_admin'],
      'an admin of the member’s society other than the maker, or super_admin; admins of other societies get 404',
    ),
    params: idParams,
    body: decideMemberBody,
    responses: {
      200: json(memberSchema, 'The member after the decision'),
      202: accepted,
      ...problems(400, 401, 403, 404, 409, 422, 503),
    },
    handler: async ({ params, body, req, principal }) => {
      const member = await loadMember(commands, params.id);
      if (!member.exists || !canAdminister(principal, member.societyId)) throw memberNotFound(params.id);
      const outcome = await decideMembership(
        commands,
        {
          memberId: params.id,
          decision: body.status,
          reason: body.reason ?? null,
          checker: { userId: principal.userId, role: principal.role },
        },
        commandMetadata(req, 'DecideMembership'),
      );
      return answerWithMember(params.id, outcome.position, false);
    },
  });

  addRoute(router, book, base, {
    method: 'get',
    path: '/societies/{id}/members',
    summary: 'List a society’s members, e.g. ?status=pending for the applications to decide',
    tags: ['Members'],
    access: rolesOnly(['society_admin', 'super_admin'], 'an admin of this society'),
    params: idParams,
    query: listMembersQuery,
    responses: {
      200: json(memberListSchema, 'A page of members (the next page linked in Link / ArcFit-Next-Cursor)'),
      ...problems(400, 401, 403, 404, 503),
    },
    handler: async ({ params, query, req, principal }) => {
      assertAdministers(principal, params.id);
      if (!(await findSociety(knex, params.id)))
        throw new HttpProblem(404, 'society-not-found', 'Society not found', `No society ${params.id}`);
      const rows = await listSocietyMembers(knex, {
        societyId: params.id,
        status: query.status,
        limit: query.limit + 1,
        after: query.cursor ? decodeCursor(query.cursor) : undefined,
      });
      const page = rows.slice(0, query.limit);
      const more = rows.length > query.limit;
      return listAnswer(req, page.map(toMember), more ? encodeCursor(page[page.length - 1]!) : null);
    },
  });

  return router;
};
