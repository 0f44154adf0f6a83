// A catch-up subscription that goes silent without an error (a known failure of the Node client)
// is noticed and reopened from the last event it delivered, so a read model does not stall.
import { randomUUID } from 'node:crypto';
import { createEsdbEventStore, type EsdbEventStore } from '../../../src/events/store/esdb/esdbEventStore';
import { formatPosition } from '../../../src/events/store/position';
import { startEsdbTestDouble, type EsdbTestDouble } from '../../support/esdbTestDouble/startEsdbTestDouble';
import { resubscribesOf, watch } from './subscriptionWatch';

describe('esdb adapter — a silent subscription is reopened', () => {
  let double: EsdbTestDouble;
  let store: EsdbEventStore;
  const warnings: Record<string, unknown>[] = [];

  beforeAll(async () => {
    double = await startEsdbTestDouble();
    store = createEsdbEventStore(double.connectionString, {
      livenessIntervalMs: 100,
      logger: { warn: (fields) => warnings.push(fields as Record<string, unknown>) },
    });
  });
  afterAll(async () => {
    await store.close();
    await double.stop();
  });

  const counted = (i: number) => ({ id: randomUUID(), type: 'Counted', data: { i } });

  it('resubscribes from the last delivered position and receives what was appended meanwhile, once each', async () => {
    const before = await resubscribesOf('esdb');
    const id = `silent-${randomUUID()}`;
    const subscription = store.subscribeToAll({ after: await store.headPosition() });
    const { received, until } = watch(subscription);
    await store.append(id, [counted(0)]);
    await until((r) => r.length === 1);

    expect(double.stallSubscriptions()).toBe(1);
    await store.append(id, [counted(1)]);
    await store.append(id, [counted(2), counted(3)]);
    await until((r) => r.length >= 4);
    await store.append(id, [counted(4)]);
    await until((r) => r.length >= 5);
    await subscription.close();

    expect(received.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4]);
    expect(await resubscribesOf('esdb')).toBeGreaterThan(before);
    expect(warnings[0]).toMatchObject({
      store: 'esdb',
      lastDelivered: formatPosition(received[0]!.position),
    });
  });
});
