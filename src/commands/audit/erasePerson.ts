import type { Knex } from 'knex';
import type { EventStore } from '../../events/store/eventStore';
import type { Position } from '../../events/store/position';
import { streams } from '../../events/streams';
import { ProtectedEventStore } from '../../events/store/personalData/protectedEventStore';
import { erasedValue, PERSONAL_DATA } from '../../events/store/personalData/personalDataFields';
import { scrubPersonalData, type Replacement } from './personalDataScrub';

export interface ErasureOutcome {
  readonly subjectId: string;
  /** False when there was no key left: erased before, or never known. */
  readonly keyDeleted: boolean;
  readonly rowsScrubbed: number;
  /** Whether the read side had applied every fact read before the key went when the scrub ran. */
  readonly readSideCaughtUp: boolean;
  /** Columns where a replacement would have broken a unique index: left for an operator to look at. */
  readonly columnsNotScrubbed: readonly string[];
}

export class PersonNotFoundError extends Error {}
export class ErasureUnavailableError extends Error {}

const getPath = (value: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    value,
  );

/**
 * Erases a person (crypto-shredding): collects every name, email and phone number their facts
 * ever gave (while the key still decrypts them), deletes their key, waits until the projections
 * have applied every fact read with that key, then rewrites those values out of every table.
 * The events stay as they were — ciphertext, hash chain intact — and replay to "Erased person".
 */
export const erasePerson = async (
  deps: { knex: Knex; store: EventStore; waitForReadSide: (position: Position) => Promise<boolean> },
  subjectId: string,
  erasedBy: string | null,
): Promise<ErasureOutcome> => {
  const { store, knex } = deps;
  if (!(store instanceof ProtectedEventStore))
    throw new ErasureUnavailableError('this store keeps no personal data keys');
  const facts = (
    await Promise.all(
      [streams.user(subjectId), streams.member(subjectId), streams.trainer(subjectId)].map((s) =>
        store.readStream(s),
      ),
    )
  ).flat();
  if (facts.length === 0) throw new PersonNotFoundError(subjectId);

  const replacements = new Map<string, Replacement>();
  for (const fact of facts) {
    const layout = PERSONAL_DATA[fact.type];
    if (!layout || getPath(fact.data, layout.subject) !== subjectId) continue;
    for (const { path, kind } of layout.fields) {
      const value = getPath(fact.data, path);
      const erased = erasedValue(kind, subjectId);
      if (typeof value === 'string' && value !== erased)
        replacements.set(value, { from: value, to: erased, kind });
    }
  }

  const keyDeleted = await store.keys.erase(subjectId, erasedBy);
  // A projection may hold facts it decrypted a moment ago: scrub once now, and again once the
  // read side is past everything appended before the key went.
  const first = await scrubPersonalData(knex, subjectId, [...replacements.values()]);
  const readSideCaughtUp = await deps.waitForReadSide(await store.headPosition());
  const second = await scrubPersonalData(knex, subjectId, [...replacements.values()]);
  return {
    subjectId,
    keyDeleted,
    rowsScrubbed: first.rowsChanged + second.rowsChanged,
    readSideCaughtUp,
    columnsNotScrubbed: [...new Set(second.skipped)],
  };
};
