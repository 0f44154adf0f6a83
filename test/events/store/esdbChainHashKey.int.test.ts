// Where the esdb adapter keeps each event's chain hash: in the event's metadata, under a key of
// our own. EventStoreDB reserves `$`-prefixed metadata keys for itself; events written before
// the key lost its `$` (under `$arcfitChainHash`) must still read with their hash.
import { randomUUID } from 'node:crypto';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { createEsdbEventStore, type EsdbEventStore } from '../../../src/events/store/esdb/esdbEventStore';
import { chainHash, contentDigest, GENESIS_HASH } from '../../../src/events/store/hashChain';
import { HashChainWalker } from '../../../src/commands/audit/hashChainWalker';
import { startEsdbTestDouble, type EsdbTestDouble } from '../../support/esdbTestDouble/startEsdbTestDouble';

describe('esdb adapter — the chain hash metadata key', () => {
  let double: EsdbTestDouble;
  let store: EsdbEventStore;
  let raw: EventStoreDBClient;

  beforeAll(async () => {
    double = await startEsdbTestDouble();
    store = createEsdbEventStore(double.connectionString);
    raw = EventStoreDBClient.connectionString(double.connectionString);
  });
  afterAll(async () => {
    await raw.dispose();
    await store.close();
    await double.stop();
  });

  const rawMetadataOf = async (streamId: string): Promise<Record<string, unknown>[]> => {
    const metadata: Record<string, unknown>[] = [];
    for await (const { event } of raw.readStream(streamId)) {
      metadata.push(event!.metadata as Record<string, unknown>);
    }
    return metadata;
  };

  it('writes the hash under arcfitChainHash, no key in the $ namespace the server reserves', async () => {
    const id = `key-${randomUUID()}`;
    await store.append(id, [
      { id: randomUUID(), type: 'Happened', data: { n: 1 }, metadata: { actor: 'u1' } },
    ]);
    const [stored] = await rawMetadataOf(id);
    expect(Object.keys(stored!).filter((k) => k.startsWith('$'))).toEqual([]);
    expect(stored).toEqual({ actor: 'u1', arcfitChainHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const [read] = await store.readStream(id);
    expect(read!.hash).toBe(stored!.arcfitChainHash);
    expect(read!.metadata).toEqual({ actor: 'u1' });
  });

  it('reads an event written under the old $arcfitChainHash key, and chains the next append to it', async () => {
    const id = `old-key-${randomUUID()}`;
    const old = { id: randomUUID(), type: 'Happened', data: { n: 1 }, metadata: { actor: 'u1' } };
    const oldHash = chainHash(GENESIS_HASH, 0, contentDigest({ streamId: id, ...old }));
    await raw.appendToStream(
      id,
      jsonEvent({ ...old, metadata: { ...old.metadata, $arcfitChainHash: oldHash } }),
    );

    const [read] = await store.readStream(id);
    expect(read).toMatchObject({ id: old.id, hash: oldHash, metadata: { actor: 'u1' } });
    expect(read!.metadata).not.toHaveProperty('$arcfitChainHash');

    await store.append(id, [{ id: randomUUID(), type: 'Happened', data: { n: 2 } }]);
    const walker = new HashChainWalker();
    for (const e of await store.readStream(id)) walker.observe(e);
    expect(walker.report()).toMatchObject({ ok: true, eventsChecked: 2 });
  });
});
