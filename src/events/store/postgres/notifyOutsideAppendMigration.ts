import type { Knex } from 'knex';

/**
 * append_to_stream without its pg_notify. NOTIFY takes a cluster-wide lock at commit and holds it
 * until the commit is durable, so every appending transaction committed one at a time
 * (bench/store measured 95% of writers waiting on it at 32 concurrent). The adapter now wakes its
 * own subscribers directly and sends at most one NOTIFY at a time, outside the write transaction.
 */
export const notifyOutsideAppendMigration: Knex.Migration = {
  async up(knex) {
    const { rows } = await knex.raw(`SELECT pg_get_functiondef('append_to_stream'::regproc) AS def`);
    const definition: string = rows[0].def;
    const withoutNotify = definition.replace(/PERFORM pg_notify\([^;]*\);/, '');
    if (withoutNotify === definition) throw new Error('append_to_stream: NOTIFY not found');
    await knex.raw(withoutNotify);
  },
  async down() {
    throw new Error('irreversible: restore 0001 by hand if ever needed');
  },
};
