import type { z } from 'zod';
import type { RecordedEvent } from '../../events/store/eventStore';

/**
 * An event's data as one schema reads it, parsed once per event object and schema however many
 * read models read it: in a catch-up or rebuild the same page's events go to every read model,
 * and up to four of them validated a booking event's data again each (about a tenth of the
 * rebuild's Node CPU). Keyed weakly by the event object, so the cache goes when the page does.
 *
 * The result is shared between read models, so it is read-only: a read model that wants to
 * change it copies it first. Under Jest it is frozen, so a read model that mutates it fails its
 * tests instead of corrupting another read model's rows.
 */
const parsed = new WeakMap<RecordedEvent, Map<z.ZodType, unknown>>();

const freezeInTests = process.env.NODE_ENV === 'test';

const deepFreeze = (value: unknown): void => {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
};

export const parsedData = <S extends z.ZodType>(event: RecordedEvent, schema: S): z.output<S> => {
  let bySchema = parsed.get(event);
  if (bySchema === undefined) {
    bySchema = new Map();
    parsed.set(event, bySchema);
  } else if (bySchema.has(schema)) {
    return bySchema.get(schema) as z.output<S>;
  }
  // A parse that throws caches nothing: the next read model gets the same error, as before.
  const data = schema.parse(event.data);
  if (freezeInTests) deepFreeze(data);
  bySchema.set(schema, data);
  return data;
};
