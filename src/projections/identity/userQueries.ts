import type { Knex } from 'knex';
import type { Role } from '../../events/identity/userEvents';

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

export const findUser = (knex: Knex, id: string): Promise<UserRow | undefined> =>
  knex<UserRow>('users').where({ id }).first();

export const findCredentials = (
  knex: Knex,
  login: { email: string } | { phoneNumber: string },
): Promise<{ user_id: string; password_hash: string } | undefined> =>
  knex('user_credentials')
    .where('email' in login ? { email: login.email } : { phone_number: login.phoneNumber })
    .first('user_id', 'password_hash');

export const administeredSocieties = async (knex: Knex, userId: string): Promise<string[]> =>
  (await knex('society_admins').where({ user_id: userId }).select('society_id')).map((r) => r.society_id);

/** Several users at once, each with the societies they administer (society admins only). */
export const usersWithAdministeredSocieties = async (
  knex: Knex,
  ids: readonly string[],
): Promise<Map<string, { user: UserRow; societies: string[] }>> => {
  const users: UserRow[] = await knex<UserRow>('users').whereIn('id', [...ids]);
  const admins = users.filter((u) => u.role === 'society_admin').map((u) => u.id);
  const grants: Array<{ user_id: string; society_id: string }> = admins.length
    ? await knex('society_admins').whereIn('user_id', admins).select('user_id', 'society_id')
    : [];
  return new Map(
    users.map((user) => [
      user.id,
      { user, societies: grants.filter((g) => g.user_id === user.id).map((g) => g.society_id) },
    ]),
  );
};
