// A stream read on the esdb adapter goes to the server in pages, never as one unbounded read:
// a long stream would otherwise be asked for (and buffered by the client) all at once.
import { randomUUID } from 'node:crypto';
import { createEsdbEventStore, type EsdbEventStore } from '../../../src/events/store/esdb/esdbEventStore';
import { startEsdbTestDouble, type EsdbTestDouble } from '../../support/esdbTestDouble/startEsdbTestDouble';

const PAGE = 500n;
const LENGTH = 1201;

describe('esdb adapter — readStream in pages', () => {
  let double: EsdbTestDouble;
  let store: EsdbEventStore;
  const id = `long-${randomUUID()}`;

  beforeAll(async () => {
    double = await startEsdbTestDouble();
    store = createEsdbEventStore(double.connectionString);
    for (let from = 0; from < LENGTH; from += 400) {
      const events = Array.from({ length: Math.min(400, LENGTH - from) }, (_, i) => ({
        id: randomUUID(),
        type: 'Counted',
        data: { i: from + i },
      }));
      await store.append(id, events);
    }
  });
  afterAll(async () => {
    await store.close();
    await double.stop();
  });

  /** What `read` asked the server for: the count of each stream read it made. */
  const countsAskedBy = async <T>(read: () => Promise<T>): Promise<{ result: T; counts: bigint[] }> => {
    const before = double.streamReadCounts.length;
    const result = await read();
    return { result, counts: double.streamReadCounts.slice(before) };
  };

  const revisions = (from: number, to: number): number[] => {
    const step = from <= to ? 1 : -1;
    return Array.from({ length: Math.abs(to - from) + 1 }, (_, i) => from + i * step);
  };

  it('reads a stream longer than one page whole, forwards, in pages of at most 500', async () => {
    const { result, counts } = await countsAskedBy(() => store.readStream(id));
    expect(result.map((e) => e.revision)).toEqual(revisions(0, LENGTH - 1));
    expect(result.map((e) => (e.data as { i: number }).i)).toEqual(revisions(0, LENGTH - 1));
    expect(counts.length).toBeGreaterThanOrEqual(3);
    for (const count of counts) expect(count).toBeLessThanOrEqual(PAGE);
  });

  it('reads it whole backwards in pages too', async () => {
    const { result, counts } = await countsAskedBy(() => store.readStream(id, { direction: 'backwards' }));
    expect(result.map((e) => e.revision)).toEqual(revisions(LENGTH - 1, 0));
    for (const count of counts) expect(count).toBeLessThanOrEqual(PAGE);
  });

  it('keeps fromRevision and maxCount across pages, both ways', async () => {
    const forwards = await countsAskedBy(() => store.readStream(id, { fromRevision: 450, maxCount: 600 }));
    expect(forwards.result.map((e) => e.revision)).toEqual(revisions(450, 1049));
    const backwards = await countsAskedBy(() =>
      store.readStream(id, { direction: 'backwards', fromRevision: 700, maxCount: 600 }),
    );
    expect(backwards.result.map((e) => e.revision)).toEqual(revisions(700, 101));
    for (const count of [...forwards.counts, ...backwards.counts]) expect(count).toBeLessThanOrEqual(PAGE);
  });

  it('ends at the stream’s edge, a page boundary included', async () => {
    expect((await store.readStream(id, { fromRevision: LENGTH - 500 })).map((e) => e.revision)).toEqual(
      revisions(LENGTH - 500, LENGTH - 1),
    );
    expect(await store.readStream(id, { fromRevision: LENGTH })).toEqual([]);
    expect(
      (await store.readStream(id, { direction: 'backwards', fromRevision: 499 })).map((e) => e.revision),
    ).toEqual(revisions(499, 0));
    expect(await store.readStream(`missing-${randomUUID()}`)).toEqual([]);
  });
});
