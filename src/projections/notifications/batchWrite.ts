import type { Knex } from 'knex';

/** One part of a batch's write: SQL with `?` placeholders and its values. */
export interface Write {
  readonly sql: string;
  readonly bindings: readonly unknown[];
}

/**
 * How much JSON one statement carries at most. A live batch's writes are a few kilobytes and go in
 * one statement; a rebuild's batch announcing classes to large societies can be hundreds of
 * thousands of notices (the outbox INSERT comes in slices), and one statement of them all would
 * not fit in the server's memory for one query.
 */
const MAX_JSON_PER_STATEMENT = 16 * 1024 * 1024;

const jsonSize = (write: Write): number =>
  write.bindings.reduce<number>((size, b) => size + (typeof b === 'string' ? b.length : 0), 0);

/** Writes in order, grouped into as few statements as the size cap allows. */
const statementsOf = (writes: readonly Write[]): Write[][] => {
  const statements: Write[][] = [];
  let size = 0;
  for (const write of writes) {
    const last = statements[statements.length - 1];
    if (last && size + jsonSize(write) <= MAX_JSON_PER_STATEMENT) last.push(write);
    else {
      statements.push([write]);
      size = 0;
    }
    size += jsonSize(write);
  }
  return statements;
};

/**
 * Several writes as ONE statement: all but the last as data-modifying CTEs. They run on one
 * snapshot and none sees another's rows, which is safe here because no two touch the same row
 * (each working table is one upsert; the outbox INSERT skips the reminders the UPDATE changes).
 */
const asOneStatement = (writes: readonly Write[]): Write => {
  const last = writes[writes.length - 1]!;
  const ctes = writes.slice(0, -1).map((w, i) => `w${i} AS (${w.sql})`);
  return {
    sql: ctes.length === 0 ? last.sql : `WITH ${ctes.join(', ')} ${last.sql}`,
    bindings: writes.flatMap((w) => w.bindings),
  };
};

/** Sends a batch's writes: one round trip for a live batch, none when there is nothing to write. */
export const writeBatch = async (trx: Knex.Transaction, writes: readonly Write[]): Promise<void> => {
  for (const group of statementsOf(writes)) {
    const { sql, bindings } = asOneStatement(group);
    await trx.raw(sql, bindings as Knex.RawBinding[]);
  }
};
