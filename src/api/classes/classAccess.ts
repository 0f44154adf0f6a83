import type { Knex } from 'knex';
import { findClass } from '../../projections/classes/classQueries';
import { findUser } from '../../projections/identity/userQueries';
import { assertAdministers } from '../auth/access';
import type { Principal } from '../auth/principal';
import { classNotFound } from './classView';

/** Who may see or act on a class, as the class routes ask it. */
export const classAccess = (knex: Knex) => {
  /**
   * The society a member belongs to (their user row), or null; undefined for anyone else. The
   * principal carries it when authentication read the user row for this request: no second read.
   */
  const memberSociety = async (principal: Principal) => {
    if (principal.role !== 'member') return undefined;
    if (principal.ownSociety !== undefined) return principal.ownSociety;
    return (await findUser(knex, principal.userId))?.society_id ?? null;
  };

  /** Members see only their own society's classes; to them others' do not exist. */
  const readableClass = async (principal: Principal, id: string) => {
    const row = await findClass(knex, id);
    if (!row) throw classNotFound(id);
    const own = await memberSociety(principal);
    if (own !== undefined && own !== row.society_id) throw classNotFound(id);
    return row;
  };

  /** A class an admin acts on: 404 when missing, 403 unless they administer its society. */
  const administeredClass = async (principal: Principal, id: string) => {
    const row = await findClass(knex, id);
    if (!row) throw classNotFound(id);
    assertAdministers(principal, row.society_id);
    return row;
  };

  return { memberSociety, readableClass, administeredClass };
};
