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
}

/**
 * Replaces every occurrence of a person's name, email and phone number in every text and JSON
 * column of every table (events excepted: there they are ciphertext), wherever it stands — in
 * their own rows and in others' (a notice that names them). Each replacement is the value a
 * replay now produces for that field, so the rewritten read tables equal a rebuild from zero.
 */
export const scrubPersonalData = async (
  knex: Knex,
  replacements: readonly Replacement[],
): Promise<number> => {
  const values = [...replacements]
    .filter((r) => r.from.length > 0)
    .sort((a, b) => b.from.length - a.from.length);
  if (values.length === 0) return 0;
  const { rows: columns } = await knex.raw<{
    rows: Array<{ table_schema: string; table_name: string; column_name: string; data_type: string }>;
  }>(
    `SELECT c.table_schema, c.table_name, c.column_name, c.data_type
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE t.table_type = 'BASE TABLE'
        AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
        AND c.data_type IN ('text', 'character varying', 'jsonb', 'json')`,
  );
  let changed = 0;
  for (const column of columns) {
    if (UNTOUCHED.has(column.table_name)) continue;
    const cast = column.data_type === 'character varying' ? 'text' : column.data_type;
    let expression = '??::text';
    const bindings: Knex.RawBinding[] = [column.column_name];
    for (const { from, to } of values) {
      expression = `replace(${expression}, ?, ?)`;
      bindings.push(from, to);
    }
    const matches = values.map(() => 'strpos(??::text, ?) > 0').join(' OR ');
    const matchBindings = values.flatMap(({ from }) => [column.column_name, from]);
    const result = await knex.raw(`UPDATE ??.?? SET ?? = (${expression})::${cast} WHERE ${matches}`, [
      column.table_schema,
      column.table_name,
      column.column_name,
      ...bindings,
      ...matchBindings,
    ]);
    changed += (result as { rowCount?: number }).rowCount ?? 0;
  }
  return changed;
};
