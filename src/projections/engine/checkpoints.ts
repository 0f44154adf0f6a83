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
  trx: Knex.Transaction,
  checkpoint: { name: string; version: number },
  from: Position,
  to: Position,
  applied: number,
  lastEventAt: Date,
): Promise<boolean> => {
  const updated = await trx('projection_checkpoints')
    .where({ name: checkpoint.name, version: checkpoint.version })
    .andWhere('commit_position', from.commit.toString())
    .andWhere('prepare_position', from.prepare.toString())
    .update({
      commit_position: to.commit.toString(),
      prepare_position: to.prepare.toString(),
      events_applied: trx.raw('events_applied + ?', [applied]),
      last_event_at: lastEventAt,
      updated_at: trx.fn.now(),
    });
  if (updated === 1) await trx.raw('SELECT pg_notify(?, ?)', [CHECKPOINT_CHANNEL, checkpoint.name]);
  return updated === 1;
};
