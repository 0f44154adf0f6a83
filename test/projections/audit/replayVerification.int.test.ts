import { verifyReplay } from '../../../src/projections/engine/replayVerification';
import { allProjections } from '../../../src/projections';
import { startTestApp, type TestApp } from '../../support/testApp';
import { driveSociety, readSideCaughtUp } from '../../api/audit/auditScenario';

describe('replay verification: every projection rebuilt from zero equals the live read tables', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await driveSociety(t);
    await driveSociety(t);
    await readSideCaughtUp(t);
  }, 120_000);
  afterAll(async () => t.dispose());

  it('finds every projection equal, table by table, and leaves no shadow behind', async () => {
    const report = await verifyReplay(t.db.knex, t.store, allProjections);
    const notEqual = report.projections.filter((p) => p.outcome !== 'equal');
    expect(notEqual).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.projections.map((p) => p.name).sort()).toEqual(allProjections.map((p) => p.name).sort());
    expect(report.eventsReplayed).toBeGreaterThan(20);
    const { rows } = await t.db.pool.query(
      `SELECT 1 FROM information_schema.schemata WHERE schema_name = 'replay_verification'`,
    );
    expect(rows).toEqual([]);
  });

  it('reports a live row that no event explains, with the row itself', async () => {
    const societies = allProjections.find((p) => p.name === 'societies')!;
    const table = `${Object.keys(societies.tables)[0]}_v${societies.version}`;
    await t.db.pool.query(
      `UPDATE ${table} SET name = 'Edited by hand' WHERE id = (SELECT id FROM ${table} LIMIT 1)`,
    );

    const report = await verifyReplay(t.db.knex, t.store, allProjections);
    expect(report.ok).toBe(false);
    const verdict = report.projections.find((p) => p.name === 'societies');
    expect(verdict).toMatchObject({
      outcome: 'differs',
      differences: [expect.objectContaining({ table, missingFromLive: 1, unexpectedInLive: 1 })],
    });
    const samples = verdict!.outcome === 'differs' ? verdict!.differences[0]!.samples : [];
    expect(samples).toContainEqual({
      side: 'unexpected-in-live',
      row: expect.objectContaining({ name: 'Edited by hand' }),
    });
  });
});
