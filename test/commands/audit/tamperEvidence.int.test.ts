import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import { verifyHashChains } from '../../../src/commands/audit/verifyHashChains';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';

/**
 * Someone with the database's superuser password edits history behind the store's back (the
 * immutability trigger switched off for their session). The chain must point at what they did.
 */
describe('tamper evidence on the PostgreSQL store', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  const payment = `payment-${randomUUID()}`;
  const booking = `booking-${randomUUID()}`;

  const behindTheStoresBack = async (sql: string, params: unknown[]) => {
    const client = await db.pool.connect();
    try {
      await client.query(`SET session_replication_role = replica`); // triggers off, superuser only
      await client.query(sql, params);
    } finally {
      await client.query(`RESET session_replication_role`);
      client.release();
    }
  };

  beforeEach(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.pool);
    await store.append(payment, [
      { id: randomUUID(), type: 'PaymentInitiated', data: { amount: '499.00', currency: 'INR' } },
      { id: randomUUID(), type: 'PaymentCaptured', data: { amount: '499.00', currency: 'INR' } },
    ]);
    await store.append(payment, [{ id: randomUUID(), type: 'PaymentRefunded', data: { amount: '499.00' } }]);
    await store.append(booking, [{ id: randomUUID(), type: 'SeatTaken', data: { seat: 1 } }]);
  });
  afterEach(async () => {
    await store.close();
    await db.dispose();
  });

  it('finds every chain whole when nobody touched the events', async () => {
    const report = await verifyHashChains(store);
    expect(report).toMatchObject({ ok: true, eventsChecked: 4, streamsChecked: 2, brokenLinks: [] });
  });

  it('reports the altered event as the first broken link of its stream', async () => {
    await behindTheStoresBack(
      `UPDATE events SET data = '{"amount": "49.00", "currency": "INR"}' WHERE stream_id = $1 AND stream_position = 1`,
      [payment],
    );
    expect((await store.readStream(payment))[1]!.data).toEqual({ amount: '49.00', currency: 'INR' });

    const report = await verifyHashChains(store);
    expect(report.ok).toBe(false);
    expect(report.brokenLinks).toEqual([
      expect.objectContaining({ streamId: payment, revision: 1, reason: 'hash-mismatch' }),
    ]);
  });

  it('catches an event whose metadata and hash were both rewritten', async () => {
    await behindTheStoresBack(
      `UPDATE events SET metadata = '{"actor": {"id": "someone-else"}}', hash = md5('x') || md5('y')
        WHERE stream_id = $1 AND stream_position = 0`,
      [payment],
    );
    const report = await verifyHashChains(store);
    expect(report.brokenLinks[0]).toMatchObject({ streamId: payment, revision: 0, reason: 'hash-mismatch' });
  });

  it('reports a deleted event as a gap in its stream', async () => {
    await behindTheStoresBack(`DELETE FROM events WHERE stream_id = $1 AND stream_position = 1`, [payment]);
    const report = await verifyHashChains(store);
    expect(report.brokenLinks).toEqual([
      expect.objectContaining({ streamId: payment, revision: 2, reason: 'revision-gap', expected: '1' }),
    ]);
  });

  it('changes the head digest when any chain changes, so a digest written down elsewhere exposes a rewrite', async () => {
    const before = (await verifyHashChains(store)).headDigest;
    await store.append(booking, [{ id: randomUUID(), type: 'SeatReleased', data: { seat: 1 } }]);
    expect((await verifyHashChains(store)).headDigest).not.toBe(before);
  });
});
