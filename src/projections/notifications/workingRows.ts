import type { Write } from './batchWrite';

type Key = string | readonly string[];

const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

/**
 * One working table as a batch of the notifications projection sees it: the rows the batch's
 * single load found (and the keys it asked for that were not there), folded over in memory, and
 * written back as one upsert that the batch's single write carries. Why not RowCache: it loads
 * each table in a statement of its own, and a live batch's statements are round trips every
 * booking's answer waits for.
 *
 * As in RowCache, a key must be loaded (or written whole) before it is read or changed: a key the
 * load forgot is an error, not a silent "not found".
 */
export class WorkingRows<Row extends Record<string, unknown>> {
  /** Key → the row now, or null when it does not exist. */
  private readonly rows = new Map<string, Row | null>();
  private readonly changed = new Set<string>();

  constructor(
    /** Physical table name (`ctx.table('notification_members')`). */
    private readonly table: string,
    private readonly keyColumns: readonly (keyof Row & string)[],
  ) {}

  /** What the load found; keys it asked for and did not find are known to be absent. */
  seed(asked: Iterable<Key>, found: readonly Row[]): void {
    for (const row of found) this.rows.set(this.idOfRow(row), row);
    for (const key of asked) {
      const id = this.idOf(key);
      if (!this.rows.has(id)) this.rows.set(id, null);
    }
  }

  /** The row with this key, or undefined when there is none. */
  get(key: Key): Row | undefined {
    return this.known(this.idOf(key)) ?? undefined;
  }

  /** Existing rows (loaded or written in this batch) that satisfy `predicate`. */
  where(predicate: (row: Row) => boolean): Row[] {
    const out: Row[] = [];
    for (const row of this.rows.values()) if (row && predicate(row)) out.push(row);
    return out;
  }

  /** Inserts or replaces the whole row. */
  put(row: Row): void {
    const id = this.idOfRow(row);
    this.rows.set(id, row);
    this.changed.add(id);
  }

  /** Inserts the row unless one with its key exists. */
  insertIfAbsent(row: Row): boolean {
    if (this.known(this.idOfRow(row))) return false;
    this.put(row);
    return true;
  }

  /** Changes some columns of an existing row; false when there is none. */
  update(key: Key, changes: Partial<Row>): boolean {
    const id = this.idOf(key);
    const row = this.known(id);
    if (!row) return false;
    this.rows.set(id, { ...row, ...changes });
    this.changed.add(id);
    return true;
  }

  /** The upsert of the rows this batch changed, or undefined when it changed none. */
  write(): Write | undefined {
    const rows = [...this.changed].map((id) => this.rows.get(id)!);
    if (rows.length === 0) return undefined;
    const table = quote(this.table);
    const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
    const keys: readonly string[] = this.keyColumns;
    const others = columns.filter((c) => !keys.includes(c));
    const onConflict =
      others.length === 0
        ? 'DO NOTHING'
        : `DO UPDATE SET ${others.map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`).join(', ')}`;
    const list = columns.map(quote).join(', ');
    return {
      sql: `INSERT INTO ${table} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${table}, ?::json) ON CONFLICT (${keys.map(quote).join(', ')}) ${onConflict}`,
      bindings: [JSON.stringify(rows)],
    };
  }

  private known(id: string): Row | null {
    const row = this.rows.get(id);
    if (row === undefined) throw new Error(`${this.table}: key ${id} used before it was loaded`);
    return row;
  }

  private idOf(key: Key): string {
    const parts = typeof key === 'string' ? [key] : key;
    if (parts.length !== this.keyColumns.length)
      throw new RangeError(`${this.table}: key ${JSON.stringify(key)} does not match its key columns`);
    return JSON.stringify(parts);
  }

  private idOfRow(row: Row): string {
    return JSON.stringify(this.keyColumns.map((c) => String(row[c])));
  }
}
