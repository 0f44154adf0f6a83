/**
 * `npm run evidence`: runs every test that backs a promise of the README (fuzzing, OWASP attacks,
 * PostgreSQL outage, API killed mid-request, projection worker killed, overbooking storms,
 * exactly-once notification delivery) and the API load bench, then writes one summary table:
 * bench/results/evidence-latest.md (and .json beside it).
 *
 * FUZZ_REQUESTS (12000)    requests the fuzzer sends (spread over every route)
 * FUZZ_SEED (random)       replay a fuzz run with its seed
 * EVIDENCE_SKIP_BENCH (0)  1 skips the load bench (the table then says so)
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const RESULTS = join(ROOT, 'bench', 'results');
const raw = mkdtempSync(join(tmpdir(), 'arcfit-evidence-'));

/** The tests behind the summary. Others' files are included when they exist. */
const TESTS = [
  'test/evidence',
  'test/projections/projectionCrash.e2e.test.ts',
  'test/api/booking/hotClass.e2e.test.ts',
  'test/commands/booking/bookingConcurrency.int.test.ts',
  'test/commands/booking/bookingStorm.int.test.ts',
  'test/notifications/concurrentDispatch.int.test.ts',
  'test/notifications/emailDelivery.e2e.test.ts',
].filter((path) => existsSync(join(ROOT, path)));

interface JestReport {
  numTotalTests: number;
  numFailedTests: number;
  testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[];
}

const runTests = (): JestReport => {
  const output = join(raw, 'jest.json');
  const fuzzRequests = process.env.FUZZ_REQUESTS ?? '12000';
  console.log(`running ${TESTS.length} test paths (fuzzing ${fuzzRequests} requests) …`);
  spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
      '--json',
      `--outputFile=${output}`,
      '--maxWorkers=2',
      ...TESTS,
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        EVIDENCE_RESULTS_DIR: raw,
        FUZZ_REQUESTS: fuzzRequests,
        FUZZ_SEED: process.env.FUZZ_SEED ?? 'random',
      },
    },
  );
  if (!existsSync(output)) throw new Error('jest wrote no report');
  return JSON.parse(readFileSync(output, 'utf8')) as JestReport;
};

const runBench = (): Record<string, unknown> | undefined => {
  if (process.env.EVIDENCE_SKIP_BENCH === '1') return undefined;
  console.log('running the API load bench …');
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'api', 'index.ts')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const file = join(RESULTS, 'api-latest.json');
  return run.status === 0 && existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)
    : undefined;
};

const figures = (name: string): Record<string, unknown> | undefined => {
  const file = join(raw, `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined;
};

const n = (value: unknown) => (typeof value === 'number' ? value.toLocaleString('en-US') : 'not measured');

const testsOf = (report: JestReport, pathPart: string, titlePattern?: RegExp) => {
  const cases = report.testResults
    .filter((r) => r.name.includes(pathPart))
    .flatMap((r) => r.assertionResults)
    .filter((a) => !titlePattern || titlePattern.test(a.fullName));
  const passed = cases.filter((c) => c.status === 'passed').length;
  return { total: cases.length, passed, failed: cases.length - passed };
};

const main = () => {
  const report = runTests();
  const bench = runBench();
  const fuzz = figures('fuzz');
  const owasp = figures('owasp');
  const outage = figures('postgres-outage');
  const crash = figures('api-crash');
  const overbooking = figures('overbooking');
  const storm = figures('replicas-booking-storm');
  const shared = figures('replicas-rate-limit');
  const ticks = figures('replicas-scheduler');
  const projectionCrash = testsOf(report, 'projectionCrash');
  const exactlyOnce = testsOf(
    report,
    'test/notifications',
    /exactly once|sends? (it )?once|recorded once|delivers once/i,
  );
  const storms = [
    testsOf(report, 'hotClass'),
    testsOf(report, 'bookingConcurrency'),
    testsOf(report, 'bookingStorm'),
  ];
  const stormTests = storms.reduce((a, b) => ({
    total: a.total + b.total,
    passed: a.passed + b.passed,
    failed: a.failed + b.failed,
  }));
  const attacks = (owasp?.attacks ?? {}) as Record<string, number>;
  const owaspTests = testsOf(report, 'owasp');
  const crashRounds = (crash?.rounds ?? []) as { bookings: number }[];
  const lostAcknowledged =
    typeof outage?.lostAcknowledged === 'number' && typeof crash?.missingBookings === 'number'
      ? outage.lostAcknowledged + crash.missingBookings
      : undefined;
  const known = (fuzz?.knownDefectsSeen ?? {}) as Record<string, number>;
  const passFail = (t: { total: number; passed: number }) =>
    t.total === 0 ? 'not run' : `${t.passed}/${t.total} tests pass`;

  const rows: [string, string, string][] = [
    [
      'requests fuzzed',
      `**${n(fuzz?.requests)}** over ${n(fuzz?.routes)} routes (seed ${String(fuzz?.seed ?? '—')})`,
      'test/evidence/fuzz.e2e.test.ts',
    ],
    ['5xx seen', `**${n(fuzz?.fiveHundreds)}**`, 'same'],
    [
      'refused requests that wrote an event',
      `**${n(fuzz?.refusedThatWrote)}**; ${n(fuzz?.refusedWithCompensatedReservation)} wrote a claim and its release (reserve → compensate, net nothing)`,
      'same',
    ],
    [
      'known defects the fuzzer hit (reported to their owners; counted above)',
      Object.entries(known)
        .map(([route, count]) => `${route} ×${count}`)
        .join(', ') || 'none',
      'KNOWN_500S and KNOWN_PARTIAL_WRITES in the fuzzer',
    ],
    [
      'overbookings',
      `**${n(overbooking?.overbookings)}** (${n(overbooking?.bookingRequests)} concurrent requests on 3 small classes, with cancels racing promotions); weekly-limit breaches ${n(overbooking?.limitBreaches)}; booking storm tests: ${passFail(stormTests)}`,
      'test/evidence/overbooking.e2e.test.ts, test/api/booking/hotClass.e2e.test.ts, test/commands/booking/*',
    ],
    [
      'three API replicas + one worker, each its own process',
      `booking storm: ${n(storm?.bookingRequests)} requests round-robin, ${n(storm?.confirmed)} confirmed, ${n(storm?.waitlisted)} waitlisted, ${n(storm?.refusedWeeklyLimit)} refused by the weekly limit; **${n(storm?.overCapacity)}** classes over capacity, **${n(storm?.overWeeklyLimit)}** members over the limit; auth limit ${n(shared?.limitPerMinute)}/min admitted **${n(shared?.admitted)}** of ${n(shared?.attempts)} across replicas; scheduler: ${n(ticks?.ticks)} ticks on two processes, at most **${n(ticks?.runsPerTickMax)}** run per tick`,
      'test/evidence/replicas.e2e.test.ts',
    ],
    [
      'lost acknowledged commands',
      `**${n(lostAcknowledged)}** — ${n(outage?.acknowledged)} writes acknowledged across a PostgreSQL stop/start, all present; ${crashRounds.length} bookings whose API process was SIGKILLed mid-request, each retried with its key`,
      'test/evidence/postgresOutage.e2e.test.ts, test/evidence/apiCrash.e2e.test.ts',
    ],
    [
      'duplicate bookings after a kill + retry',
      `**${n(crash?.duplicateBookings)}** of ${crashRounds.length} rounds`,
      'test/evidence/apiCrash.e2e.test.ts',
    ],
    [
      'duplicate sends',
      exactlyOnce.total
        ? `**${exactlyOnce.failed === 0 ? 0 : 'see failures'}** — exactly-once delivery tests: ${passFail(exactlyOnce)} (a crash between the provider's accept and our record resends with the same Message-ID; docs/architecture.md)`
        : 'not measured (notification tests absent)',
      'test/notifications/*',
    ],
    [
      'PostgreSQL down',
      `${n(outage?.answered503)} requests answered 503 (slowest ${n(outage?.slowest503Ms)} ms); **${n(outage?.hung)}** hung past ${15} s; recovered without a restart`,
      'test/evidence/postgresOutage.e2e.test.ts',
    ],
    [
      'projection worker SIGKILLed mid-batch',
      `read tables equal a rebuild: ${passFail(projectionCrash)}`,
      'test/projections/projectionCrash.e2e.test.ts',
    ],
    [
      'OWASP API Top 10 attacks',
      `${n(Object.values(attacks).reduce((a, b) => a + b, 0))} attacks (${Object.entries(attacks)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}): ${passFail(owaspTests)}`,
      'test/evidence/owasp.e2e.test.ts',
    ],
  ];

  const md: string[] = [
    `# Evidence — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Tests: ${report.numTotalTests - report.numFailedTests}/${report.numTotalTests} passed (${TESTS.length} paths).`,
    '',
    '| promise | figure | shown by |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
  ];
  if (bench) {
    const scenarios = bench.scenarios as {
      name: string;
      rps: number;
      p50: number;
      p99: number;
      rps_ratio: number;
      p99_ratio: number;
      non2xx: number;
    }[];
    md.push(
      `## Load (bench/api, ${String(bench.date).slice(0, 10)}, ${String((bench.machine as { cpus: number }).cpus)} cores; ratios to \`${String(bench.baseline)}\` in the same run)`,
      '',
      '| endpoint | req/s | p50 ms | p99 ms | req/s ÷ baseline | p99 ÷ baseline | non-2xx |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...scenarios.map(
        (s) =>
          `| ${s.name} | ${s.rps.toFixed(0)} | ${s.p50} | ${s.p99} | **${s.rps_ratio.toFixed(2)}** | ${s.p99_ratio.toFixed(1)} | ${s.non2xx} |`,
      ),
      '',
    );
  } else md.push('Load: not measured in this run (EVIDENCE_SKIP_BENCH=1 or the bench failed).', '');
  const failed = report.testResults.flatMap((r) =>
    r.assertionResults
      .filter((a) => a.status === 'failed')
      .map((a) => `- ${relative(ROOT, r.name)}: ${a.fullName}`),
  );
  if (failed.length) md.push('## Failed', '', ...failed, '');

  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'evidence-latest.md'), md.join('\n'));
  const collected = Object.fromEntries(
    readdirSync(raw)
      .filter((f) => f.endsWith('.json') && f !== 'jest.json')
      .map((f) => [f.replace('.json', ''), figures(f.replace('.json', ''))]),
  );
  writeFileSync(
    join(RESULTS, 'evidence-latest.json'),
    `${JSON.stringify({ date: new Date().toISOString(), tests: { total: report.numTotalTests, failed: report.numFailedTests }, figures: collected, failed }, null, 2)}\n`,
  );
  rmSync(raw, { recursive: true, force: true });
  console.log(`\n${md.join('\n')}\nwritten to bench/results/evidence-latest.md`);
  if (report.numFailedTests > 0 || (!bench && process.env.EVIDENCE_SKIP_BENCH !== '1')) process.exitCode = 1;
};

main();
