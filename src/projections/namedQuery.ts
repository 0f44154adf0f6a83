import type { Knex } from 'knex';
import type pg from 'pg';

/**
 * A hot read as a named (prepared) statement: PostgreSQL parses and plans its text once per
 * connection, then only binds and executes it. Why: a read at request rate spent more of its time
 * in parse and plan (and in knex building the same text again) than in the read itself; the
 * plain CRUD baseline this API is measured against names its statements too.
 *
 * One name, one text: a name is kept per connection, so two texts under one name would run the
 * first text with the second one's values. Name every variant of a query that is built from
 * optional filters apart (see `statementName`).
 */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
}

/** `base` with the filters a variant carries, e.g. `classes.list:society,after`. */
export const statementName = (base: string, present: Record<string, boolean>): string =>
  `${base}:${Object.keys(present)
    .filter((k) => present[k])
    .join(',')}`;

/** PostgreSQL: a prepared statement's result columns changed under it (a read model's view switched version). */
const PLAN_RESULT_CHANGED = '0A000';

/**
 * The generation each statement name is prepared under. A view that switches to a rebuilt
 * version with other columns makes the statements prepared over it fail ("cached plan must not
 * change result type") on every connection that holds them; the next generation prepares the
 * text afresh under a new name, and the read that failed is retried once.
 */
const generations = new Map<string, number>();

const preparedName = (name: string) => {
  const generation = generations.get(name) ?? 0;
  return generation === 0 ? name : `${name}#${generation}`;
};

const isPlanResultChanged = (error: unknown) =>
  (error as { code?: unknown }).code === PLAN_RESULT_CHANGED &&
  /cached plan must not change result type/.test((error as Error).message);

/**
 * Runs `statement` on one of knex's connections (a transaction's own connection when `knex` is
 * one), so a read keeps knex's pool, its acquire timeout (503) and any transaction it is part of.
 */
export const runNamed = async <Row>(
  knex: Knex,
  statement: NamedStatement,
  values: readonly unknown[],
): Promise<Row[]> => {
  const run = async () => {
    const connection = (await knex.client.acquireConnection()) as pg.Client;
    try {
      const result = await connection.query<Row & pg.QueryResultRow>({
        name: preparedName(statement.name),
        text: statement.text,
        values: values as unknown[],
      });
      return result.rows;
    } finally {
      await knex.client.releaseConnection(connection);
    }
  };
  try {
    return await run();
  } catch (error) {
    if (!isPlanResultChanged(error)) throw error;
    generations.set(statement.name, (generations.get(statement.name) ?? 0) + 1);
    return run();
  }
};

/**
 * A named statement whose text knex writes, built on first use and kept: knex's text does not
 * depend on the values (they travel as $n), so `build` is given stand-ins and each call passes
 * its real values in the same order (a miscount is refused by PostgreSQL, never misread).
 */
export const knexStatement = (
  name: string,
  build: (knex: Knex) => Knex.QueryBuilder,
): ((knex: Knex) => NamedStatement) => {
  let text: string | undefined;
  return (knex) => ({ name, text: (text ??= build(knex).toSQL().toNative().sql) });
};
