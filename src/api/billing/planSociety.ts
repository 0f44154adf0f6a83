import type { Knex } from 'knex';
import { findSociety } from '../../projections/societies/societyQueries';
import type { Principal } from '../auth/principal';
import { HttpProblem } from '../http/errorHandler';

const societyRequired = (detail: string, societies: { id: string; name: string }[]) =>
  new HttpProblem(422, 'society-required', 'Name the society this plan is for', detail, { societies });

/**
 * The society a new plan belongs to. The spec's body names none (a society admin creates plans for
 * their society), so it defaults to the one society its admin administers; a super admin's plan
 * without one is offered to every society. An admin of several societies must choose: the answer
 * lists them.
 */
export const planSociety = async (
  knex: Knex,
  principal: Principal,
  named: string | null | undefined,
): Promise<string | null> => {
  if (named !== undefined) return named;
  if (principal.role === 'super_admin') return null;
  if (principal.societies.length === 1) return principal.societies[0]!;
  if (principal.societies.length === 0)
    throw societyRequired('You administer no society yet: create one (POST /societies), then its plans.', []);
  const societies = await Promise.all(
    principal.societies.map(async (id) => ({ id, name: (await findSociety(knex, id))?.name ?? id })),
  );
  throw societyRequired(
    `You administer ${societies.length} societies: send society_id with the one this plan is for — ` +
      `${societies.map((s) => `${s.id} (${s.name})`).join(', ')}.`,
    societies,
  );
};
