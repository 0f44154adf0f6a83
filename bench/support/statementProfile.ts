/**
 * Where a booking's statements go: boots the project as bench/compare/projectServer.ts does
 * (startServices + createServiceApp, projections in-process, scheduler off) on a throwaway
 * PostgreSQL, makes PROFILE_BOOKINGS bookings (each a different class, as bench:compare's storm
 * rows) at each of PROFILE_LEVELS concurrent clients, then cancels them, and prints every
 * statement the process sent, grouped by what it is, per booking and per cancellation —
 * background work (projections, the read-your-writes wait, NOTIFY) included, counted until the
 * read side has applied everything.
 *
 *   node --import tsx bench/support/statementProfile.ts
 *   PROFILE_BOOKINGS=300 PROFILE_LEVELS=8,32 node --import tsx bench/support/statementProfile.ts
 */
import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config';
import { formatPosition } from '../../src/events/store/position';
import { createLogger } from '../../src/platform/logger';
import { startServices, type Services } from '../../src/platform/services';
import { createServiceApp } from '../../src/platform/serviceApp';
import { inParallel, seedSociety, type Service } from '../booking/world';
import { startBenchServer } from './postgresServer';

const counts = new Map<string, number>();
/** A statement's kind: its text, whitespace folded, cut where it stops saying what it is. */
const kindOf = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.slice(0, 90);
};
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string; name?: string };
  // The store names its statements (arcfit_read_all, arcfit_append_to_stream…): the name says more.
  const kind =
    typeof first === 'string' ? kindOf(first) : first?.name ? `[${first.name}]` : kindOf(first?.text ?? '?');
  counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

const snapshot = () => new Map(counts);
const since = (before: Map<string, number>) =>
  [...counts].map(([k, n]) => [k, n - (before.get(k) ?? 0)] as const).filter(([, n]) => n > 0);

/** Until the head stops moving (projectServer.ts's settle). */
const settle = async ({ store, waiter }: Services) => {
  for (;;) {
    const head = await store.headPosition();
    if (!(await waiter.waitFor(head, 60_000))) throw new Error('the read side did not catch up in 60 s');
    if (formatPosition(await store.headPosition()) === formatPosition(head)) return;
  }
};

const print = (title: string, rows: (readonly [string, number])[], per: number) => {
  const total = rows.reduce((s, [, n]) => s + n, 0);
  console.log(`\n## ${title}: ${(total / per).toFixed(2)} statements each (${total} for ${per})`);
  for (const [kind, n] of rows.sort((a, b) => b[1] - a[1]))
    console.log(`${(n / per).toFixed(3).padStart(8)}  ${String(n).padStart(6)}  ${kind}`);
};

const main = async () => {
  const bookings = Number(process.env.PROFILE_BOOKINGS ?? 200);
  const levels = (process.env.PROFILE_LEVELS ?? '8,32').split(',').map(Number);
  const postgres = await startBenchServer({ fsync: 'off', synchronous_commit: 'off' });
  const dataDir = mkdtempSync(join(tmpdir(), 'arcfit-profile-'));
  try {
    await profile(postgres, dataDir, bookings, levels);
  } finally {
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

const profile = async (
  postgres: Awaited<ReturnType<typeof startBenchServer>>,
  dataDir: string,
  bookings: number,
  levels: number[],
) => {
  const url = await postgres.createDatabase('profile');
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: url,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'profile-secret-profile-secret-profile-0123',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    DB_POOL_SIZE: '20',
  });
  const services = await startServices(config, createLogger(config.LOG_LEVEL), {
    applicationName: 'profile',
  });
  services.engine.start();
  const server: Server = await new Promise((resolve) => {
    const s = createServiceApp(services).listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/v1`;
  try {
    const world = await seedSociety({
      base,
      commands: services.commands,
      store: services.store,
      waiter: services.waiter,
    } as unknown as Service);
    for (const level of levels) {
      const classIds = await world.classes(
        Array.from({ length: bookings }, (_, k) => ({
          day: k % 5,
          hour: 5 + (Math.floor(k / 5) % 15),
          maxMembers: 20,
        })),
      );
      const members = await world.members(Math.ceil(bookings / 5));
      await settle(services);
      const { token } = world.bookingRequest('', '');
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
      let before = snapshot();
      const statuses: Record<number, number> = {};
      const ids = await inParallel(bookings, level, async (k) => {
        const res = await fetch(`${base}/events/${classIds[k]}/bookings`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ member_id: members[Math.floor(k / 5)] }),
        });
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        return ((await res.json()) as { id: string }).id;
      });
      await settle(services);
      print(`bookings, ${level} clients ${JSON.stringify(statuses)}`, since(before), bookings);
      before = snapshot();
      const cancelled: Record<number, number> = {};
      await inParallel(ids.length, level, async (k) => {
        const res = await fetch(`${base}/bookings/${ids[k]}`, { method: 'DELETE', headers });
        cancelled[res.status] = (cancelled[res.status] ?? 0) + 1;
        await res.arrayBuffer();
      });
      await settle(services);
      print(`cancellations, ${level} clients ${JSON.stringify(cancelled)}`, since(before), ids.length);
    }
  } finally {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await services.close();
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
