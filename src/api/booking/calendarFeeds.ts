import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';

export type CalendarOwner = 'member' | 'trainer';

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/** Issues a fresh calendar token for an owner, replacing (revoking) any earlier one. */
export const issueCalendarToken = async (
  knex: Knex,
  kind: CalendarOwner,
  ownerId: string,
): Promise<string> => {
  const token = randomBytes(32).toString('base64url');
  await knex('calendar_feeds')
    .insert({ owner_kind: kind, owner_id: ownerId, token_sha256: sha256(token), created_at: knex.fn.now() })
    .onConflict(['owner_kind', 'owner_id'])
    .merge();
  return token;
};

/** True when `token` is the owner's current calendar token. */
export const calendarTokenMatches = async (
  knex: Knex,
  kind: CalendarOwner,
  ownerId: string,
  token: string,
): Promise<boolean> => {
  const row = await knex('calendar_feeds')
    .where({ owner_kind: kind, owner_id: ownerId })
    .first('token_sha256');
  if (!row) return false;
  const expected = Buffer.from(row.token_sha256 as string, 'hex');
  const given = Buffer.from(sha256(token), 'hex');
  return timingSafeEqual(expected, given);
};
