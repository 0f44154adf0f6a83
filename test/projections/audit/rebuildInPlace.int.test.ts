import { rebuildInPlace } from '../../../src/projections/engine/rebuildInPlace';
import { verifyReplay } from '../../../src/projections/engine/replayVerification';
import { societiesProjection } from '../../../src/projections/societies/societiesProjection';
import { startTestApp, type TestApp } from '../../support/testApp';
import { seedSocieties } from '../../support/seedSocieties';
import { readSideCaughtUp } from '../../api/audit/auditScenario';

describe('rebuild in place while the live projection serves and writers keep appending', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedSocieties(t.store, 40, 3);
    await readSideCaughtUp(t);
  });
  afterAll(async () => t.dispose());

  it('swaps in a rebuilt table that misses nothing appended during the rebuild', async () => {
    const writing = seedSocieties(t.store, 80, 2); // concurrent with the rebuild and the swap
    const outcome = await rebuildInPlace(t.db.knex, t.store, societiesProjection, { batchSize: 50 });
    await writing;
    await readSideCaughtUp(t);
    expect(outcome.eventsApplied).toBeGreaterThanOrEqual(160);

    const { rows } = await t.db.pool.query('SELECT count(*)::int AS n FROM societies');
    expect(rows[0].n).toBe(120);
    const report = await verifyReplay(t.db.knex, t.store, [societiesProjection]);
    expect(report.projections).toEqual([expect.objectContaining({ name: 'societies', outcome: 'equal' })]);
  });
});
