import type pg from 'pg';
import type { EventStore } from '../../src/events/store/eventStore';
import { checkPayloads, planHistories, type Histories } from './history';

/**
 * Appends the histories of history/ straight to the store (the deciders are not what is
 * measured), phase by phase: every society's setup, then every society's first week, and so on,
 * so `$all` runs roughly in the order things happened, as a real store's does. Societies are
 * independent, so `lanes` of them append side by side; one society's appends go one at a time,
 * each with the revision its stream must be at. `firstSociety`: see planHistories.
 */
export const seedHistories = async (
  store: EventStore,
  targetEvents: number,
  lanes = 8,
  firstSociety = 0,
): Promise<{ events: number; mix: Record<string, number>; histories: Histories }> => {
  const histories = planHistories(targetEvents, new Date(), firstSociety);
  checkPayloads(histories);
  const phases = Math.max(...histories.societies.map((s) => s.length));
  for (let phase = 0; phase < phases; phase++) {
    let next = 0;
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        for (let society = next++; society < histories.societies.length; society = next++) {
          for (const { streamId, expectedRevision, events } of histories.societies[society]![phase] ?? [])
            await store.append(streamId, events, { expectedRevision });
        }
      }),
    );
  }
  return { events: histories.events, mix: mixOf(histories), histories };
};

/** Share of each event family in the history, in percent: the mix the printout documents. */
const mixOf = (histories: Histories): Record<string, number> => {
  const counts = new Map<string, number>();
  for (const phases of histories.societies)
    for (const phase of phases)
      for (const append of phase)
        for (const event of append.events) {
          const family = familyOf(event.type, append.streamId);
          counts.set(family, (counts.get(family) ?? 0) + 1);
        }
  return Object.fromEntries(
    [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([family, n]) => [family, Number(((100 * n) / histories.events).toFixed(1))]),
  );
};

const familyOf = (type: string, streamId: string): string => {
  if (streamId.startsWith('booking-quota-')) return 'booking quota';
  if (/^(Booking|Attendance)/.test(type)) return 'bookings';
  if (/^(Class|TrainerAssigned)/.test(type)) return 'classes';
  if (/^(Subscription|Payment|Invoice|Plan)/.test(type)) return 'billing';
  if (/^(User|Phone|Member)/.test(type)) return 'members and users';
  if (/^Trainer/.test(type)) return 'trainers and trainer days';
  if (type === 'UniqueValueClaimed') return 'unique-value claims';
  return 'societies, templates, weeks, notifications';
};

/**
 * A real store's events were written over weeks; these were all written in the last seconds, and
 * the notifications projection treats facts younger than four days as news (it queues messages
 * for them). Spreading `created_at` in `$all` order from the history's start to now gives the
 * rebuild the mix of old and fresh facts it meets in production. Bench-only: the events table
 * refuses updates, so its trigger is switched off for this one statement. The hash chain does not
 * cover `created_at`. VACUUM FULL leaves the table as compact as an append-only one would be.
 */
export const spreadOverHistory = async (pool: pg.Pool, startsAt: Date): Promise<void> => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE events DISABLE TRIGGER events_no_update_or_delete');
    await client.query(
      `UPDATE events e SET created_at = $1::timestamptz + (now() - $1::timestamptz) * r.share
         FROM (SELECT transaction_id, global_position,
                      (row_number() OVER (ORDER BY transaction_id, global_position) - 1)::float8
                        / count(*) OVER () AS share
                 FROM events) r
        WHERE e.transaction_id = r.transaction_id AND e.global_position = r.global_position`,
      [startsAt],
    );
    await client.query('ALTER TABLE events ENABLE TRIGGER events_no_update_or_delete');
    await client.query('COMMIT');
    await client.query('VACUUM FULL ANALYZE events');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
};
