import type { Knex } from 'knex';
import type { Position } from '../../events/store/position';

export type ProjectionStatus = 'building' | 'active' | 'retired';

export interface Checkpoint {
  readonly name: string;
  readonly version: number;
  readonly position: Position;
  readonly status: ProjectionStatus;
  readonly eventsApplied: number;
  readonly lastEventAt: Date | null;
}

interface CheckpointRow {
  name: string;
  version: number;
  commit_position: string;
  prepare_position: string;
  status: ProjectionStatus;
  events_applied: string;
  last_event_at: Date | null;
}

const toCheckpoint = (row: CheckpointRow): Checkpoint => ({
  name: row.name,
  version: row.version,
  position: { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) },
  status: row.status,
  eventsApplied: Number(row.events_applied),
  lastEventAt: row.last_event_at,
});

export const CHECKPOINT_CHANNEL = 'arcfit_projection_checkpoints';

/** Registers a projection version; the first version of a name to exist serves reads at once. */
export const registerCheckpoint = async (knex: Knex, name: string, version: number): Promise<Checkpoint> => {
  await knex.raw(
    `INSERT INTO projection_checkpoints (name, version, status)
     SELECT ?, ?, CASE WHEN EXISTS (SELECT 1 FROM projection_checkpoints WHERE name = ? AND status = 'active')
                       THEN 'building' ELSE 'active' END
     ON CONFLICT (name, version) DO NOTHING`,
    [name, version, name],
  );
  return (await readCheckpoint(knex, name, version))!;
};

export const readCheckpoint = async (
  knex: Knex,
  name: string,
  version: number,
): Promise<Checkpoint | undefined> => {
  const row = await knex<CheckpointRow>('projection_checkpoints').where({ name, version }).first();
  return row ? toCheckpoint(row) : undefined;
};

export const readCheckpoints = async (knex: Knex): Promise<Checkpoint[]> =>
  (await knex<CheckpointRow>('projection_checkpoints').orderBy(['name', 'version'])).map(toCheckpoint);

/**
 * Compare-and-set inside the batch transaction: succeeds only if nobody moved the checkpoint
 * since `from`, so a batch applied by two runners lands once.
 */
export interface CheckpointMove {
  readonly checkpoint: { readonly name: string; readonly version: number };
  readonly from: Position;
  readonly to: Position;
  readonly applied: number;
  readonly lastEventAt: Date;
}

/**
 * Several checkpoints moved in one statement, each by its own compare-and-set (and, when `notify`,
 * a NOTIFY for each that moved: only other processes' waiters need one, see OtherListeners);
 * answers, per move, whether it moved.
 */
export const advanceCheckpoints = async (
  db: Knex,
  moves: readonly CheckpointMove[],
  notify = true,
): Promise<boolean[]> => {
  const announce = notify
    ? `, pg_notify(?, json_build_object(
              'name', name, 'version', version, 'status', status,
              'commit', commit_position::text, 'prepare', prepare_position::text)::text)`
    : '';
  const { rows } = await db.raw<{ rows: Array<{ i: number }> }>(
    `WITH moves AS (
       SELECT * FROM jsonb_to_recordset(?::jsonb) AS m(
         i int, name text, version int, from_commit numeric, from_prepare numeric,
         to_commit numeric, to_prepare numeric, applied bigint, last_event_at timestamptz)),
     moved AS (
       UPDATE projection_checkpoints c
          SET commit_position = m.to_commit, prepare_position = m.to_prepare,
              events_applied = c.events_applied + m.applied, last_event_at = m.last_event_at,
              updated_at = now()
         FROM moves m
        WHERE c.name = m.name AND c.version = m.version
          AND c.commit_position = m.from_commit AND c.prepare_position = m.from_prepare
        RETURNING m.i, c.name, c.version, c.status, c.commit_position, c.prepare_position)
     SELECT i${announce} FROM moved`,
    [
      JSON.stringify(
        moves.map((m, i) => ({
          i,
          name: m.checkpoint.name,
          version: m.checkpoint.version,
          from_commit: m.from.commit.toString(),
          from_prepare: m.from.prepare.toString(),
          to_commit: m.to.commit.toString(),
          to_prepare: m.to.prepare.toString(),
          applied: m.applied,
          last_event_at: m.lastEventAt,
        })),
      ),
      ...(notify ? [CHECKPOINT_CHANNEL] : []),
    ],
  );
  const moved = new Set(rows.map((r) => r.i));
  return moves.map((_, i) => moved.has(i));
};

/** What a checkpoint move announces on CHECKPOINT_CHANNEL: the checkpoint as it now stands. */
export type CheckpointNotice = Pick<Checkpoint, 'name' | 'version' | 'status' | 'position'>;

const STATUSES: readonly string[] = ['building', 'active', 'retired'] satisfies ProjectionStatus[];
const DIGITS = /^-?\d{1,20}$/;

/** The notice a checkpoint move sent; undefined for anything else on the channel. */
export const parseCheckpointNotice = (payload: string): CheckpointNotice | undefined => {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  const v = value as Record<string, unknown> | null;
  if (
    typeof v?.name !== 'string' ||
    typeof v.version !== 'number' ||
    typeof v.status !== 'string' ||
    !STATUSES.includes(v.status) ||
    typeof v.commit !== 'string' ||
    typeof v.prepare !== 'string' ||
    !DIGITS.test(v.commit) ||
    !DIGITS.test(v.prepare)
  )
    return undefined;
  return {
    name: v.name,
    version: v.version,
    status: v.status as ProjectionStatus,
    position: { commit: BigInt(v.commit), prepare: BigInt(v.prepare) },
  };
};

/** One checkpoint moved by compare-and-set (with NOTIFY when it moved); false when it had moved on. */
export const advanceCheckpoint = async (db: Knex, move: CheckpointMove, notify = true): Promise<boolean> =>
  (await advanceCheckpoints(db, [move], notify))[0]!;
