import type {
  AllSubscription,
  AppendResult,
  EventStore,
  ExpectedRevision,
  MultiStreamAppends,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
} from '../eventStore';
import type { Position } from '../position';
import { decryptField, encryptField, isEncrypted } from './fieldCipher';
import { erasedValue, PERSONAL_DATA, type PersonalDataLayout } from './personalDataFields';
import type { PersonalDataKeys } from './personalDataKeys';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const getPath = (value: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>(
    (v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
    value,
  );

/** A copy of `data` with the value at `path` replaced (only where a string is). */
const withPath = (data: unknown, path: readonly string[], replace: (value: string) => string): unknown => {
  if (path.length === 0) return typeof data === 'string' ? replace(data) : data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return data;
  const [head, ...rest] = path as [string, ...string[]];
  if (!(head in data)) return data;
  return {
    ...(data as Record<string, unknown>),
    [head]: withPath((data as Record<string, unknown>)[head], rest, replace),
  };
};

const subjectOf = (layout: PersonalDataLayout, data: unknown): string | undefined => {
  const subject = getPath(data, layout.subject);
  return typeof subject === 'string' && UUID.test(subject) ? subject.toLowerCase() : undefined;
};

/**
 * Crypto-shredding around any event store: names, emails and phone numbers in the facts listed
 * in personalDataFields.ts are stored encrypted with their person's key, and decrypted on every
 * read. Once the key is deleted (erasure) they read as `erasedValue`, so every replay — a
 * projection rebuild, a decider's fold — goes on working and no longer learns who it was.
 * The inner store, and so the hash chain, only ever sees ciphertext: `inner` is what tamper
 * verification and the raw audit trail read.
 */
export class ProtectedEventStore implements EventStore {
  constructor(
    readonly inner: EventStore,
    readonly keys: PersonalDataKeys,
  ) {}

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult> {
    return this.inner.append(streamId, await Promise.all(events.map((e) => this.protect(e))), options);
  }

  get multiStreamAppends(): MultiStreamAppends {
    return this.inner.multiStreamAppends;
  }

  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const protectedAppends = await Promise.all(
      appends.map(async (a) => ({ ...a, events: await Promise.all(a.events.map((e) => this.protect(e))) })),
    );
    return this.inner.appendToStreams(protectedAppends);
  }

  private async protect(event: NewEvent): Promise<NewEvent> {
    const layout = PERSONAL_DATA[event.type];
    const subject = layout && subjectOf(layout, event.data);
    if (!layout || !subject) return event;
    const key = await this.keys.keyFor(subject);
    let data = event.data;
    for (const { path, kind } of layout.fields) {
      // A person already erased stays erased: new facts about them carry no details either.
      data = withPath(data, path, (plain) => (key ? encryptField(key, plain) : erasedValue(kind, subject)));
    }
    return { ...event, data };
  }

  /** Decrypts what it can; fields whose key is gone read as erased. */
  async reveal(events: readonly RecordedEvent[]): Promise<RecordedEvent[]> {
    const subjects = new Set<string>();
    for (const e of events) {
      const layout = PERSONAL_DATA[e.type];
      const subject = layout && subjectOf(layout, e.data);
      if (subject) subjects.add(subject);
    }
    if (subjects.size === 0) return [...events];
    const keys = await this.keys.keysOf([...subjects]);
    return events.map((e) => {
      const layout = PERSONAL_DATA[e.type];
      const subject = layout && subjectOf(layout, e.data);
      if (!layout || !subject) return e;
      const key = keys.get(subject);
      let data = e.data;
      for (const { path, kind } of layout.fields) {
        data = withPath(data, path, (stored) => {
          if (!isEncrypted(stored)) return stored;
          if (!key) return erasedValue(kind, subject);
          return decryptField(key, stored);
        });
      }
      return { ...e, data };
    });
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.reveal(await this.inner.readStream(streamId, options));
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.reveal(await this.inner.readAll(options));
  }

  subscribeToAll(options?: { after?: Position }): AllSubscription {
    const inner = this.inner.subscribeToAll(options);
    const reveal = (e: RecordedEvent) => this.reveal([e]).then(([revealed]) => revealed!);
    async function* revealed(): AsyncGenerator<RecordedEvent> {
      for await (const event of inner) yield PERSONAL_DATA[event.type] ? await reveal(event) : event;
    }
    const iterator = revealed();
    return { [Symbol.asyncIterator]: () => iterator, close: () => inner.close() };
  }

  headPosition(): Promise<Position> {
    return this.inner.headPosition();
  }

  newestPosition(): Promise<Position> {
    return this.inner.newestPosition();
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The store as written: ciphertext and hashes, for tamper verification and the raw trail. */
export const storedForm = (store: EventStore): EventStore =>
  store instanceof ProtectedEventStore ? store.inner : store;
