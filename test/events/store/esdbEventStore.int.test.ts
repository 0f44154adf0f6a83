// The esdb adapter's contract runs here twice:
// - always, against an in-process gRPC double of EventStoreDB (test/support/esdbTestDouble);
// - against a real EventStoreDB / KurrentDB only when ESDB_CONNECTION_STRING is set
//   (e.g. `esdb://localhost:2113?tls=false`). Without it that block is not registered at all,
//   so a run without the variable proves the adapter against the double only.
import { randomUUID } from 'node:crypto';
import { EventStoreUnavailableError } from '../../../src/events/store/errors';
import { START } from '../../../src/events/store/position';
import { createEsdbEventStore } from '../../../src/events/store/esdb/esdbEventStore';
import { startEsdbTestDouble, type EsdbTestDouble } from '../../support/esdbTestDouble/startEsdbTestDouble';
import { describeEventStoreContract } from './eventStoreContract';

let contractDouble: EsdbTestDouble | undefined;

describeEventStoreContract(
  'esdb (gRPC test double)',
  async () => {
    const double = await startEsdbTestDouble();
    contractDouble = double;
    const store = createEsdbEventStore(double.connectionString);
    return {
      store,
      dispose: async () => {
        await store.close();
        await double.stop();
      },
    };
  },
  { transactional: false },
);

// Declared after the contract, so it runs once the contract's appends are done (a run filtered
// with -t that leaves the contract out has no double here and fails on purpose).
describe('esdb (gRPC test double) — the path the contract exercised', () => {
  it('appended through BatchAppend, as the client does against any server advertising it', () => {
    expect(contractDouble).toBeDefined();
    const counts = contractDouble!.appendCounts;
    // Every append, none through plain Append: the production path is the one the contract proved.
    expect({ ...counts, batchAppend: counts.batchAppend > 0 }).toEqual({ append: 0, batchAppend: true });
  });
});

const realServer = process.env.ESDB_CONNECTION_STRING;
if (realServer) {
  describeEventStoreContract(
    'esdb (real server)',
    async () => {
      const store = createEsdbEventStore(realServer);
      return { store, dispose: () => store.close() };
    },
    { transactional: false },
  );
}

describe('esdb adapter — beyond the contract (against the double)', () => {
  const happened = () => ({ id: randomUUID(), type: 'Happened', data: { n: 1 } });

  it("keeps the server's own $-records out of $all reads and the head position", async () => {
    const double = await startEsdbTestDouble();
    const store = createEsdbEventStore(double.connectionString);
    try {
      expect(await store.readAll()).toEqual([]);
      expect(await store.headPosition()).toEqual(START);
      const { position } = await store.append(`own-${randomUUID()}`, [happened()]);
      expect((await store.readAll()).map((e) => e.type)).toEqual(['Happened']);
      expect(await store.headPosition()).toEqual(position);
      await expect(store.ping()).resolves.toBeUndefined();
    } finally {
      await store.close();
      await double.stop();
    }
  });

  it('still appends through plain Append against a server that does not advertise BatchAppend', async () => {
    const double = await startEsdbTestDouble({ batchAppend: false });
    const store = createEsdbEventStore(double.connectionString);
    try {
      const id = `plain-${randomUUID()}`;
      const batch = [happened(), happened()];
      expect((await store.append(id, batch, { expectedRevision: 'no_stream' })).nextExpectedRevision).toBe(1);
      expect((await store.append(id, batch, { expectedRevision: 'no_stream' })).nextExpectedRevision).toBe(1);
      await expect(store.append(id, [happened()], { expectedRevision: 0 })).rejects.toMatchObject({
        name: 'WrongExpectedRevisionError',
        actual: 1,
      });
      expect(await store.readStream(id)).toHaveLength(2);
      expect(double.appendCounts).toEqual({ append: 3, batchAppend: 0 });
    } finally {
      await store.close();
      await double.stop();
    }
  });

  it('reports a server that is gone as EventStoreUnavailableError', async () => {
    const double = await startEsdbTestDouble();
    const store = createEsdbEventStore(double.connectionString);
    try {
      await store.append(`gone-${randomUUID()}`, [happened()]);
      const subscription = store.subscribeToAll();
      const iterated = (async () => {
        for await (const _ of subscription);
      })();
      await double.stop();
      await expect(iterated).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.append(`gone-${randomUUID()}`, [happened()])).rejects.toBeInstanceOf(
        EventStoreUnavailableError,
      );
      await expect(store.readStream(`gone-${randomUUID()}`)).rejects.toBeInstanceOf(
        EventStoreUnavailableError,
      );
      await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    } finally {
      await store.close();
    }
  });
});
