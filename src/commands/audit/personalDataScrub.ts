import type { Knex } from 'knex';

/** Tables that never hold personal data in plain text, or must not be rewritten. */
const UNTOUCHED = new Set([
  'events',
  'streams',
  'personal_data_keys',
  'erased_subjects',
  'knex_migrations',
  'knex_migrations_lock',
]);

export interface Replacement {
  readonly from: string;
  readonly to: string;
  readonly kind: 'name' | 'email' | 'phoneNumber';
}

interface Column {
  table_schema: string;
  table_name: string;
  column_name: string;
  data_type: string;
}

/**
 * Emails and phone numbers are distinctive enough to replace wherever they appear; a name is
 * not ("Dev", or a hostile "a", would rewrite half the database), so names are replaced only
 * in rows about the person (a uuid column equal to their id).
 */
const everywhere = (r: Replacement) =>
  (r.kind === 'email' && r.from.includes('@') && r.from.length >= 6) ||
  (r.kind === 'phoneNumber' && r.from.replace(/\D/g, '').length >= 7);

/**
 * Rewrites a person's name, email and phone number out of every table but the events (there
 * they are ciphertext), in one transaction: text columns by substring, JSON columns by whole
 * JSON string, each replaced by the value a replay now produces for that field, so rewritten
 * read tables equal a rebuild from zero.
 */
export const scrubPersonalData = async (
  knex: Knex,
  subjectId: string,
  replacements: readonly Replacement[],
): Promise<{ rowsChanged: number; skipped: string[] }> => {
  const values = replacements
    .filter((r) => r.from.length >= 2 && r.from !== r.to)
    .sort((a, b) => b.from.length - a.from.length);
  if (values.length === 0) return { rowsChanged: 0, skipped: [] };
  return knex.transaction(async (trx) => {
    const { rows: columns } = await trx.raw<{ rows: Column[] }>(
      `SELECT c.table_schema, c.table_name, c.column_name, c.data_type
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
          AND c.data_type IN ('text', 'character varying', 'jsonb', 'json', 'uuid')`,
    );
    const uuidColumns = (c: Column) =>
      columns.filter(
        (u) => u.table_schema === c.table_schema && u.table_name === c.table_name && u.data_type === 'uuid',
      );
    let changed = 0;
    const skipped: string[] = [];
    for (const column of columns) {
      if (UNTOUCHED.has(column.table_name) || column.data_type === 'uuid') continue;
      const related = uuidColumns(column);
      const json = column.data_type === 'jsonb' || column.data_type === 'json';
      for (const value of values) {
        const wide = everywhere(value);
        if (!wide && related.length === 0) continue;
        const [from, to] = json
          ? [JSON.stringify(value.from), JSON.stringify(value.to)]
          : [value.from, value.to];
        const cast = column.data_type === 'character varying' ? 'text' : column.data_type;
        const aboutThem = related.map(() => '?? = ?::uuid').join(' OR ');
        const update = (onlyTheirRows: boolean) =>
          trx.raw(
            `UPDATE ??.?? SET ?? = replace(??::text, ?, ?)::${cast}
              WHERE strpos(??::text, ?) > 0 ${onlyTheirRows ? `AND (${aboutThem})` : ''}`,
            [
              column.table_schema,
              column.table_name,
              column.column_name,
              column.column_name,
              from,
              to,
              column.column_name,
              from,
              ...(onlyTheirRows ? related.flatMap((u) => [u.column_name, subjectId]) : []),
            ],
          );
        // A savepoint per statement: a replacement that would break a unique index (two of their
        // old values meeting in one placeholder) is narrowed to their own rows, then skipped.
        const attempts = wide && related.length > 0 ? [false, true] : [!wide];
        for (const onlyTheirRows of attempts) {
          await trx.raw('SAVEPOINT scrub');
          try {
            const result = await update(onlyTheirRows);
            await trx.raw('RELEASE SAVEPOINT scrub');
            changed += (result as { rowCount?: number }).rowCount ?? 0;
            break;
          } catch (error) {
            await trx.raw('ROLLBACK TO SAVEPOINT scrub');
            if ((error as { code?: string }).code !== '23505') throw error;
            if (onlyTheirRows === attempts[attempts.length - 1]) {
              skipped.push(`${column.table_schema}.${column.table_name}.${column.column_name}`);
            }
          }
        }
      }
    }
    return { rowsChanged: changed, skipped };
  });
};
