import type { Knex } from 'knex';
import type { RecordedEvent } from '../../events/store/eventStore';
import type { ProjectionDefinition } from '../engine/projection';
import { trainerSlotClaimedSchema, trainerSlotReleasedSchema } from '../../events/trainers/trainerEvents';

/**
 * `trainer_day_slots`: the classes each trainer has claimed, per local date. `start_minute` and
 * `end_minute` are minutes since midnight, wall-clock local to the class's society; `starts_at`
 * and `ends_at` the instants the claim recorded (null for a claim recorded before claims carried
 * them), which the planner compares across time zones as the claim does. A released claim is
 * deleted (the history stays in the `trainer-day-*` streams).
 */
export const trainerDaySlotsProjection: ProjectionDefinition = {
  name: 'trainer_day_slots',
  version: 2,
  tables: {
    trainer_day_slots: (t) => {
      t.uuid('trainer_id').notNullable();
      t.date('date').notNullable();
      t.text('class_id').notNullable();
      t.text('society_id').notNullable();
      t.integer('start_minute').notNullable();
      t.integer('end_minute').notNullable();
      t.timestamp('starts_at', { useTz: true }).nullable();
      t.timestamp('ends_at', { useTz: true }).nullable();
      t.timestamp('claimed_at', { useTz: true }).notNullable();
      t.primary(['trainer_id', 'date', 'class_id']);
    },
  },
  handles: ['TrainerSlotClaimed', 'TrainerSlotReleased'],
  // No RowCache here: a claim never needs the row it would replace, so the batch folds into
  // "delete these, then insert these unless present" without loading anything. (RowCache would
  // also key a loaded `date` by the JS Date pg makes of it, never matching the event's text date.)
  applyBatch: async (events, { trx, table }) => {
    const changes = events.map(slotFact).reduce(evolveSlots, new Map<string, SlotChange>());
    await writeSlotChanges(trx, table('trainer_day_slots'), [...changes.values()]);
  },
};

export interface SlotRow extends Record<string, unknown> {
  trainer_id: string;
  /** yyyy-mm-dd, local to the society. */
  date: string;
  class_id: string;
  society_id: string;
  start_minute: number;
  end_minute: number;
  /** ISO instants the claim recorded; null when it recorded none. */
  starts_at: string | null;
  ends_at: string | null;
  claimed_at: Date;
}

type SlotKey = Pick<SlotRow, 'trainer_id' | 'date' | 'class_id'>;
type SlotFact = { kind: 'claimed'; row: SlotRow } | { kind: 'released'; key: SlotKey };

/**
 * What a batch does to one slot. `deleted`: a release came, so whatever row was there before the
 * batch goes. `claim`: the row to insert afterwards unless one is there (the first claim wins,
 * as the per-event INSERT … ON CONFLICT DO NOTHING did).
 */
export interface SlotChange {
  readonly key: SlotKey;
  readonly deleted: boolean;
  readonly claim: SlotRow | null;
}

const slotFact = (event: RecordedEvent): SlotFact => {
  if (event.type === 'TrainerSlotClaimed') {
    const d = trainerSlotClaimedSchema.parse(event.data);
    return {
      kind: 'claimed',
      row: {
        trainer_id: d.trainerId,
        date: d.date,
        class_id: d.classId,
        society_id: d.societyId,
        start_minute: d.start,
        end_minute: d.end,
        starts_at: d.startsAt ?? null,
        ends_at: d.endsAt ?? null,
        claimed_at: event.createdAt,
      },
    };
  }
  const d = trainerSlotReleasedSchema.parse(event.data);
  return { kind: 'released', key: { trainer_id: d.trainerId, date: d.date, class_id: d.classId } };
};

const idOf = (key: SlotKey): string => JSON.stringify([key.trainer_id, key.date, key.class_id]);

/** One slot's change after one more fact. */
export const evolveSlot = (change: SlotChange | undefined, fact: SlotFact): SlotChange => {
  if (fact.kind === 'released') return { key: fact.key, deleted: true, claim: null };
  if (change?.claim) return change;
  const { trainer_id, date, class_id } = fact.row;
  return { key: { trainer_id, date, class_id }, deleted: change?.deleted ?? false, claim: fact.row };
};

const evolveSlots = (changes: Map<string, SlotChange>, fact: SlotFact): Map<string, SlotChange> => {
  const id = idOf(fact.kind === 'claimed' ? fact.row : fact.key);
  return changes.set(id, evolveSlot(changes.get(id), fact));
};

/** Two statements at most, whatever the batch size: the deletes, then the inserts. */
const writeSlotChanges = async (trx: Knex.Transaction, table: string, changes: readonly SlotChange[]) => {
  const deleted = changes.filter((c) => c.deleted).map((c) => c.key);
  const claimed = changes.flatMap((c) => (c.claim ? [c.claim] : []));
  if (deleted.length > 0)
    await trx.raw(
      `DELETE FROM ?? t WHERE (t.trainer_id, t.date, t.class_id) IN
         (SELECT trainer_id, date, class_id FROM json_populate_recordset(NULL::??, ?::json))`,
      [table, table, JSON.stringify(deleted)],
    );
  if (claimed.length > 0)
    await trx.raw(
      `INSERT INTO ?? (trainer_id, date, class_id, society_id, start_minute, end_minute, starts_at, ends_at, claimed_at)
       SELECT trainer_id, date, class_id, society_id, start_minute, end_minute, starts_at, ends_at, claimed_at
         FROM json_populate_recordset(NULL::??, ?::json)
       ON CONFLICT (trainer_id, date, class_id) DO NOTHING`,
      [table, table, JSON.stringify(claimed)],
    );
};
