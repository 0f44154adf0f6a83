import type { Knex } from 'knex';
import type { Role } from '../../events/identity/userEvents';
import { runNamed, type NamedStatement } from '../namedQuery';

export interface UserRow {
  id: string;
  name: string;
  email: string;
  phone_number: string | null;
  phone_verified: boolean;
  role: Role;
  status: 'active' | 'inactive';
  society_id: string | null;
  specialization: string[] | null;
  location: { address: string | null; latitude: number | null; longitude: number | null } | null;
  created_at: Date;
  updated_at: Date;
}

const findUserStatement: NamedStatement = {
  name: 'users.find',
  text: 'SELECT * FROM users WHERE id = $1 LIMIT 1',
};

export const findUser = async (knex: Knex, id: string): Promise<UserRow | undefined> =>
  (await runNamed<UserRow>(knex, findUserStatement, [id]))[0];

export const findCredentials = (
  knex: Knex,
  login: { email: string } | { phoneNumber: string },
): Promise<{ user_id: string; password_hash: string } | undefined> =>
  knex('user_credentials')
    .where('email' in login ? { email: login.email } : { phone_number: login.phoneNumber })
    .first('user_id', 'password_hash');

export const administeredSocieties = async (knex: Knex, userId: string): Promise<string[]> =>
  (await knex('society_admins').where({ user_id: userId }).select('society_id')).map((r) => r.society_id);

/**
 * Several users at once, each with the societies they administer (society admins only), in one
 * statement: every signed-in request asks it (principalLookup), so it is prepared once per
 * connection and answers users and grants in a single round trip. The ids travel as one array,
 * so a batch of any size is the same statement.
 */
const usersWithGrants: NamedStatement = {
  name: 'users.with-administered-societies',
  text: `SELECT u.*,
                CASE WHEN u.role = 'society_admin'
                     THEN ARRAY(SELECT a.society_id::text FROM society_admins a WHERE a.user_id = u.id)
                     ELSE '{}'::text[] END AS administered_societies
           FROM users u
          WHERE u.id = ANY($1::uuid[])`,
};

export const usersWithAdministeredSocieties = async (
  knex: Knex,
  ids: readonly string[],
): Promise<Map<string, { user: UserRow; societies: string[] }>> => {
  const rows = await runNamed<UserRow & { administered_societies: string[] }>(knex, usersWithGrants, [
    [...ids],
  ]);
  return new Map(
    rows.map(({ administered_societies: societies, ...user }) => [user.id, { user, societies }]),
  );
};
