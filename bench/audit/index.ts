/**
 * bench:audit — what an auditor touches, as the log grows. Fills the event store's table with
 * synthetic events (BENCH_EVENTS, default 1,000,000: about 40 societies' worth of bookings,
 * payments and notices, written with generate_series so the fill itself takes seconds), and
 * measures the audit trail's filtered reads (by society, by type, by time, unfiltered first page)
 * at 10,000 events and at the full size. Figures: bench/results/audit-latest.{json,md}.
 *
 * The claim under test: a filter that matches little reads little (indexed, in `$all` order), so
 * its latency at 1M events stays within 1.25× of its latency at 10k.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import knexFactory from 'knex';
import { readAuditTrail, type AuditTrailFilter } from '../../src/commands/audit/auditTrail';
import { migrate } from '../../src/platform/migrations';
import { startBenchServer } from '../support/postgresServer';
import { measureFilters } from './measureFilters';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 60);
const SOCIETIES = 40;

/** Appends `count` events in one statement: rotating societies, types and streams. */
const fill = async (knex: knexFactory.Knex, from: number, count: number) => {
  await knex.raw(
    `INSERT INTO events (stream_id, stream_position, event_id, type, data, metadata, created_at)
     SELECT 'class-' || (g % 5000), g / 5000, gen_random_uuid(),
            (ARRAY['SeatBooked','BookingCanceled','PaymentCompleted','NotificationQueued'])[1 + g % 4],
            jsonb_build_object('societyId', '00000000-0000-4000-8000-' || lpad((g % ?)::text, 12, '0'), 'n', g),
            jsonb_build_object('commandId', 'bench-' || g, 'schemaVersion', 1),
            timestamptz '2026-01-01' + g * interval '1 second'
       FROM generate_series(?::bigint, ?::bigint) AS g`,
    [SOCIETIES, from, from + count - 1],
  );
  await knex.raw('ANALYZE events');
};

const filters = (size: number): Record<string, AuditTrailFilter> => ({
  // A society that appears only in the newest events: little matches, all of it at the end.
  'society (rare, newest)': { societyId: '00000000-0000-4000-8000-999999999999' },
  'society (one of 40)': { societyId: '00000000-0000-4000-8000-000000000007' },
  'type (one of 4)': { types: ['PaymentCompleted'] },
  'time (last minute)': {
    from: new Date(Date.parse('2026-01-01T00:00:00Z') + (size - 60) * 1000),
  },
  'first page, no filter': {},
});

const measure = (knex: knexFactory.Knex, size: number) =>
  measureFilters(filters(size), async (filter) => (await readAuditTrail(knex, filter, 100)).length, SAMPLES);

const main = async () => {
  const server = await startBenchServer({ fsync: 'off', synchronous_commit: 'off' });
  const knex = knexFactory({ client: 'pg', connection: await server.createDatabase('bench_audit') });
  try {
    await migrate(knex);
    await fill(knex, 1, 10_000);
    // The rare society's few events, at the head of the log at either size.
    const rare = async () =>
      knex.raw(
        `INSERT INTO events (stream_id, stream_position, event_id, type, data, metadata)
         SELECT 'society-rare', g, gen_random_uuid(), 'SocietyRegistered',
                jsonb_build_object('societyId', '00000000-0000-4000-8000-999999999999'), '{}'::jsonb
           FROM generate_series((SELECT coalesce(max(stream_position) + 1, 0) FROM events WHERE stream_id = 'society-rare'),
                                (SELECT coalesce(max(stream_position) + 1, 0) FROM events WHERE stream_id = 'society-rare') + 4) AS g`,
      );
    await rare();
    const small = await measure(knex, 10_000);
    const t0 = performance.now();
    await fill(knex, 10_001, TOTAL - 10_000);
    await rare();
    const fillSeconds = (performance.now() - t0) / 1000;
    const large = await measure(knex, TOTAL);
    const rows = Object.keys(small).map((name) => ({
      filter: name,
      p50_10k_ms: +small[name]!.p50.toFixed(2),
      p99_10k_ms: +small[name]!.p99.toFixed(2),
      p50_large_ms: +large[name]!.p50.toFixed(2),
      p99_large_ms: +large[name]!.p99.toFixed(2),
      p99_ratio: +(large[name]!.p99 / small[name]!.p99).toFixed(2),
    }));
    const result = {
      at: new Date().toISOString(),
      events: TOTAL,
      samples: SAMPLES,
      fill_seconds: fillSeconds,
      rows,
    };
    const dir = join(__dirname, '..', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'audit-latest.json'), `${JSON.stringify(result, null, 2)}\n`);
    const md = [
      `# bench:audit — ${result.at}, ${TOTAL.toLocaleString('en')} events, ${SAMPLES} samples per filter`,
      '',
      '| filter | p50 at 10k (ms) | p99 at 10k (ms) | p50 at full (ms) | p99 at full (ms) | p99 full ÷ 10k |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows.map(
        (r) =>
          `| ${r.filter} | ${r.p50_10k_ms} | ${r.p99_10k_ms} | ${r.p50_large_ms} | ${r.p99_large_ms} | ${r.p99_ratio} |`,
      ),
      '',
    ].join('\n');
    writeFileSync(join(dir, 'audit-latest.md'), md);
    process.stdout.write(md);
  } finally {
    await knex.destroy();
    await server.stop();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
