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
export const advanceCheckpoint = async (
  db: Knex,
  checkpoint: { name: string; version: number },
  from: Position,
  to: Position,
  applied: number,
  lastEventAt: Date,
): Promise<boolean> => {
  // One statement (compare-and-set, then NOTIFY only if it moved): every projection runs this for
  // every batch, so its round trips count as much as the batch's own.
  const { rows } = await db.raw<{ rows: unknown[] }>(
    `WITH moved AS (
       UPDATE projection_checkpoints
          SET commit_position = ?, prepare_position = ?, events_applied = events_applied + ?,
              last_event_at = ?, updated_at = now()
        WHERE name = ? AND version = ? AND commit_position = ? AND prepare_position = ?
        RETURNING name)
     SELECT pg_notify(?, name) FROM moved`,
    [
      to.commit.toString(),
      to.prepare.toString(),
      applied,
      lastEventAt,
      checkpoint.name,
      checkpoint.version,
      from.commit.toString(),
      from.prepare.toString(),
      CHECKPOINT_CHANNEL,
    ],
  );
  return rows.length === 1;
};
