import type { Knex } from 'knex';
import { escapeIdentifier, escapeLiteral } from 'pg';
import { ANALYST_ROLE } from './analystRole';
import { createAnalystViews } from './analystViews';

/**
 * A database login for an analyst: a member of the read-only role, which may read the
 * `analytics` schema's views and nothing else (no events, no contact details, no credentials).
 */
export const createAnalystLogin = async (knex: Knex, name: string, password: string): Promise<void> => {
  if (!/^[a-z_][a-z0-9_]{2,62}$/.test(name))
    throw new RangeError('login names: lowercase letters, digits, _');
  await knex.transaction(async (trx) => {
    await trx.raw(
      `CREATE ROLE ${escapeIdentifier(name)} LOGIN PASSWORD ${escapeLiteral(password)} IN ROLE ${ANALYST_ROLE}`,
    );
    await createAnalystViews(trx);
  });
};
