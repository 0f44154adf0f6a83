import type { Knex } from 'knex';

type KeyPart = string | number;
/** A row's primary key: its one value, or its values in `keyColumns` order. */
export type RowKey = KeyPart | readonly KeyPart[];

/**
 * A timestamptz column's value as a batch holds it: a Date as pg loaded it, or the event's ISO text
 * when the batch wrote it (both travel the same way through the upsert's JSON).
 */
export type Instant = Date | string;

/** A patch applies only to a row whose `column` is below `below` (a revision), or is null. */
export interface PatchGuard {
  readonly column: string;
  readonly below?: number;
}

/**
 * Loaded rows are locked until the batch commits. Why: the batch writes whole rows back, so a
 * change made by someone else between load and flush (erasure scrubbing a person's details from
 * the read tables) would be overwritten with what was loaded; locked, the other writer waits.
 */
const LOCK = 'FOR NO KEY UPDATE';

const DATE_TYPE_ID = 1082;
const twoDigits = (n: number): string => String(n).padStart(2, '0');

/**
 * Rows as loaded, with DATE columns as `YYYY-MM-DD` text. Why: pg parses a DATE to a Date at the
 * process's local midnight, which written back through JSON lands on the previous day anywhere
 * east of UTC (Asia/Kolkata, where most societies are).
 */
const loadedRows = <Row>(result: {
  rows: Row[];
  fields?: Array<{ name: string; dataTypeID: number }>;
}): Row[] => {
  const dates = (result.fields ?? []).filter((f) => f.dataTypeID === DATE_TYPE_ID).map((f) => f.name);
  if (dates.length === 0) return result.rows;
  for (const row of result.rows as Array<Record<string, unknown>>)
    for (const name of dates) {
      const value = row[name];
      if (value instanceof Date)
        row[name] = `${value.getFullYear()}-${twoDigits(value.getMonth() + 1)}-${twoDigits(value.getDate())}`;
    }
  return result.rows;
};

const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

/**
 * One read table as a batch of a set-based projection sees it: the rows the batch touches are
 * loaded in one query, the events fold over them in memory, and the rows that changed go back in
 * one DELETE and one upsert (`json_populate_recordset`, so a batch of any size is one
 * parameter). Round trips per batch, not per event, were what a rebuild needed: per-event SQL held
 * the full rebuild near 1,500 events/s (bench/projections).
 *
 * Every key must be loaded (or written) before it is read or changed: a projection that forgot to
 * load a key gets an error rather than a silent "not found". Values go through JSON, so columns
 * hold JSON-friendly values: Dates, strings (numeric and bigint come back as strings), numbers,
 * booleans, arrays, and plain objects for jsonb columns (not JSON text); DATE columns load as
 * `YYYY-MM-DD` text.
 *
 * The rows travel as `json`, not `jsonb`: PostgreSQL reads plain JSON text straight into the row
 * type, where `jsonb` first built its binary form only to take it apart again (measured on 5,000
 * bookings rows: ~70 ms against ~90–200 ms); the rows written are the same.
 */
export class RowCache<Row extends object> {
  /** Key → the row now, or null when it does not exist (never did, or deleted in this batch). */
  private readonly rows = new Map<string, Row | null>();
  private readonly changed = new Set<string>();
  /** Rows written without loading them: inserted unless their key exists. */
  private readonly creates = new Map<string, Row>();
  /** Changes written without loading the row: applied in SQL, where the guard holds. */
  private readonly patches = new Map<
    string,
    { key: Record<string, KeyPart>; changes: Partial<Row>; guard: PatchGuard }
  >();

  constructor(
    private readonly trx: Knex.Transaction,
    /** Physical table name (`ctx.table('members')`). */
    private readonly table: string,
    private readonly keyColumns: readonly (keyof Row & string)[],
  ) {
    if (keyColumns.length === 0) throw new RangeError(`${table}: a row cache needs the key columns`);
  }

  /** Loads the rows with these keys that are not loaded yet; absent ones are remembered as absent. */
  async load(keys: Iterable<RowKey>): Promise<void> {
    const wanted = new Map<string, readonly KeyPart[]>();
    for (const key of keys) {
      const parts = this.partsOf(key);
      const id = this.idOf(parts);
      if (this.creates.has(id) || this.patches.has(id))
        throw new Error(`${this.table}: key ${id} is loaded after it was written unloaded`);
      if (!this.rows.has(id)) wanted.set(id, parts);
    }
    if (wanted.size === 0) return;
    const found =
      this.keyColumns.length === 1
        ? await this.trx.raw<{ rows: Row[] }>(
            `SELECT * FROM ${quote(this.table)} WHERE ${quote(this.keyColumns[0]!)} = ANY(?) ${LOCK}`,
            [[...wanted.values()].map((parts) => String(parts[0]))],
          )
        : await this.trx.raw<{ rows: Row[] }>(
            `SELECT t.* FROM ${quote(this.table)} t WHERE (${this.keyList('t.')}) IN (SELECT ${this.keyList()} FROM json_populate_recordset(NULL::${quote(this.table)}, ?::json)) ${LOCK}`,
            [JSON.stringify([...wanted.values()].map((parts) => this.keyObject(parts)))],
          );
    for (const id of wanted.keys()) this.rows.set(id, null);
    for (const row of loadedRows(found)) this.rows.set(this.idOfRow(row), row);
  }

  /**
   * Loads every row whose `column` is one of `values` (a secondary key, e.g. a class's bookings),
   * so `where` sees all of them. Rows already loaded keep their in-memory state.
   */
  async loadWhere(column: keyof Row & string, values: Iterable<KeyPart>): Promise<void> {
    const wanted = [...new Set(values)];
    if (wanted.length === 0) return;
    const found = await this.trx.raw<{ rows: Row[] }>(
      `SELECT * FROM ${quote(this.table)} WHERE ${quote(column)} = ANY(?) ${LOCK}`,
      [wanted.map(String)],
    );
    for (const row of loadedRows(found)) {
      const id = this.idOfRow(row);
      if (this.creates.has(id) || this.patches.has(id))
        throw new Error(`${this.table}: key ${id} is loaded after it was written unloaded`);
      if (!this.rows.has(id)) this.rows.set(id, row);
    }
  }

  /** The row with this key, or undefined when there is none. */
  get(key: RowKey): Row | undefined {
    return this.known(this.idOf(this.partsOf(key))) ?? undefined;
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

  /** Inserts the row unless one with its key exists (INSERT … ON CONFLICT DO NOTHING). */
  insertIfAbsent(row: Row): boolean {
    const id = this.idOfRow(row);
    if (this.known(id)) return false;
    this.put(row);
    return true;
  }

  /** Changes some columns of an existing row (UPDATE … WHERE key); false when there is none. */
  update(key: RowKey, changes: Partial<Row>): boolean {
    const id = this.idOf(this.partsOf(key));
    const row = this.known(id);
    if (!row) return false;
    this.rows.set(id, { ...row, ...changes });
    this.changed.add(id);
    return true;
  }

  /** Deletes the row if there is one. */
  delete(key: RowKey): void {
    const id = this.idOf(this.partsOf(key));
    if (this.known(id) === null) return;
    this.rows.set(id, null);
    this.changed.add(id);
  }

  /**
   * Writes the row unless one with its key exists, WITHOUT loading it: for a key the batch only
   * creates (its one fact makes the row), the load would only have told whether it exists, which
   * ON CONFLICT DO NOTHING settles in the write. The key must not be loaded, nor used otherwise
   * in this batch.
   */
  createUnlessPresent(row: Row): void {
    this.claimUnloaded(this.idOfRow(row));
    this.creates.set(this.idOfRow(row), row);
  }

  /**
   * Changes some columns of the row with this key, if it exists and `guard` holds (its revision
   * column below the fact's revision), WITHOUT loading it: for a key whose one fact in the batch
   * sets columns to values the fact carries, the guard that the fold checked in memory is checked
   * by the UPDATE on the locked row. The key must not be loaded, nor used otherwise in this batch.
   */
  patch(key: RowKey, changes: Partial<Row>, guard: PatchGuard): void {
    const parts = this.partsOf(key);
    const id = this.idOf(parts);
    this.claimUnloaded(id);
    this.patches.set(id, { key: this.keyObject(parts), changes, guard });
  }

  /**
   * Writes every change in ONE statement: deletes, patches, creates and the upsert of changed rows
   * as data-modifying CTEs (each key is in one of them only, so they never touch the same row).
   */
  async flush(): Promise<void> {
    const parts: Array<{ sql: string; bindings: string[] }> = [];
    const upserts: Row[] = [];
    const deletes: Record<string, KeyPart>[] = [];
    for (const id of this.changed) {
      const row = this.rows.get(id)!;
      if (row) upserts.push(row);
      else deletes.push(this.keyObject(this.partsOfId(id)));
    }
    this.changed.clear();
    const table = quote(this.table);
    if (deletes.length > 0)
      parts.push({
        sql: `DELETE FROM ${table} t WHERE (${this.keyList('t.')}) IN (SELECT ${this.keyList()} FROM json_populate_recordset(NULL::${table}, ?::json))`,
        bindings: [JSON.stringify(deletes)],
      });
    parts.push(...this.patchStatements());
    if (this.creates.size > 0) parts.push(this.insert([...this.creates.values()], false));
    this.creates.clear();
    if (upserts.length > 0) parts.push(this.insert(upserts, true));
    if (parts.length === 0) return;
    const last = parts[parts.length - 1]!;
    const ctes = parts.slice(0, -1).map((part, i) => `w${i} AS (${part.sql})`);
    await this.trx.raw(
      ctes.length === 0 ? last.sql : `WITH ${ctes.join(', ')} ${last.sql}`,
      parts.flatMap((part) => part.bindings),
    );
  }

  private insert(rows: readonly Row[], replace: boolean): { sql: string; bindings: string[] } {
    const table = quote(this.table);
    // Without a key array per row: a page's upsert has thousands of rows.
    const names = new Set<string>();
    for (const row of rows) for (const name in row) names.add(name);
    const columns = [...names];
    const keys: readonly string[] = this.keyColumns;
    const others = columns.filter((c) => !keys.includes(c));
    const onConflict =
      !replace || others.length === 0
        ? 'DO NOTHING'
        : `DO UPDATE SET ${others.map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`).join(', ')}`;
    const list = columns.map(quote).join(', ');
    return {
      sql: `INSERT INTO ${table} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${table}, ?::json) ON CONFLICT (${this.keyList()}) ${onConflict}`,
      bindings: [JSON.stringify(rows)],
    };
  }

  /**
   * One UPDATE per kind of guard and set of columns patched: the new values come typed from ONE
   * `json_populate_recordset` over the table's own row type, zipped (ROWS FROM) with each patch's
   * guard value. Why not overlay each row with its patch (`jsonb_populate_record(t, changes)`):
   * that ran once per row as a subplan, ~60 µs each — half of the bookings read model's UPDATE
   * during a rebuild. Columns a patch leaves undefined are not part of its set (they keep their
   * value, as JSON would have dropped them).
   */
  private patchStatements(): Array<{ sql: string; bindings: string[] }> {
    type Patch = { key: Record<string, KeyPart>; changes: Partial<Row>; guard: PatchGuard };
    const groups = new Map<string, { guard: string; columns: string[]; patches: Patch[] }>();
    const keys: readonly string[] = this.keyColumns;
    for (const patch of this.patches.values()) {
      const { column, below } = patch.guard;
      const guard =
        below === undefined ? `t.${quote(column)} IS NULL` : `t.${quote(column)} < p."patch below"`;
      const columns = Object.keys(patch.changes).filter(
        (c) => (patch.changes as Record<string, unknown>)[c] !== undefined && !keys.includes(c),
      );
      const id = JSON.stringify([guard, columns]);
      const group = groups.get(id) ?? { guard, columns, patches: [] };
      group.patches.push(patch);
      groups.set(id, group);
    }
    this.patches.clear();
    const table = quote(this.table);
    return [...groups.values()]
      .filter((group) => group.columns.length > 0)
      .map(({ guard, columns, patches }) => {
        const keyMatch = this.keyColumns.map((c) => `t.${quote(c)} = p.${quote(c)}`).join(' AND ');
        const rows = JSON.stringify(patches.map((p) => ({ ...p.changes, ...p.key })));
        const belows = JSON.stringify(patches.map((p) => ({ 'patch below': p.guard.below ?? null })));
        return {
          sql: `UPDATE ${table} t SET (${columns.map(quote).join(', ')}) = ROW(${columns.map((c) => `p.${quote(c)}`).join(', ')})
          FROM ROWS FROM (json_populate_recordset(NULL::${table}, ?::json), json_to_recordset(?::json) AS ("patch below" numeric)) AS p
         WHERE ${keyMatch} AND ${guard}`,
          bindings: [rows, belows],
        };
      });
  }

  /** A key written without loading: it may be in no other part of the batch. */
  private claimUnloaded(id: string): void {
    if (this.rows.has(id) || this.creates.has(id) || this.patches.has(id))
      throw new Error(`${this.table}: key ${id} is written unloaded but is also loaded or written otherwise`);
  }

  private known(id: string): Row | null {
    if (this.creates.has(id) || this.patches.has(id))
      throw new Error(`${this.table}: key ${id} was written unloaded; it cannot be read in this batch`);
    const row = this.rows.get(id);
    if (row === undefined) throw new Error(`${this.table}: key ${id} used before it was loaded`);
    return row;
  }

  private keyList(prefix = ''): string {
    return this.keyColumns.map((c) => prefix + quote(c)).join(', ');
  }

  private keyObject(parts: readonly KeyPart[]): Record<string, KeyPart> {
    return Object.fromEntries(this.keyColumns.map((c, i) => [c, parts[i]!]));
  }

  private partsOf(key: RowKey): readonly KeyPart[] {
    const parts = Array.isArray(key) ? (key as readonly KeyPart[]) : [key as KeyPart];
    if (parts.length !== this.keyColumns.length)
      throw new RangeError(`${this.table}: key ${JSON.stringify(key)} does not match ${this.keyList()}`);
    return parts;
  }

  /**
   * A key as the maps hold it: the value itself for a one-column key (the common case, taken for
   * every row a batch touches: no array, no JSON), else its parts as JSON text.
   */
  private idOf(parts: readonly KeyPart[]): string {
    return this.keyColumns.length === 1 ? String(parts[0]) : JSON.stringify(parts.map(String));
  }

  private partsOfId(id: string): KeyPart[] {
    return this.keyColumns.length === 1 ? [id] : (JSON.parse(id) as KeyPart[]);
  }

  private idOfRow(row: Row): string {
    if (this.keyColumns.length === 1) return String(row[this.keyColumns[0]!] as KeyPart);
    return this.idOf(this.keyColumns.map((c) => row[c] as KeyPart));
  }
}

/** Flushes several caches of one batch (in order: parents before children where that matters). */
export const flushAll = async (...caches: ReadonlyArray<{ flush(): Promise<void> }>): Promise<void> => {
  for (const cache of caches) await cache.flush();
};
