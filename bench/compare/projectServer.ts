/**
 * The project as `npm start` composes it (src/main.ts, scheduler off, as bench/api/server.ts runs
 * it), forked by bench/compare, with bench-only routes outside the app:
 *   GET  /bench/select-1      one SELECT 1 on the same pool: the baseline
 *   GET  /bench/statements    statements every pg client in this process has sent so far
 *   GET  /bench/settled       waits until the read side has applied every event (and whatever
 *                             those events set off), then answers the statements so far
 *   POST /bench/storm/*       seeds bench/booking's society, members and classes in this process
 *                             (bench/booking/world.ts), for the booking storms
 * Statements are counted by wrapping pg.Client.prototype.query, so the projections, the
 * read-your-writes wait and any other background work in this process are counted too.
 */
import type { Server } from 'node:http';
import express from 'express';
import { startBenchServices } from '../support/benchServices';
import pg from 'pg';
import { formatPosition } from '../../src/events/store/position';
import type { Services } from '../../src/platform/services';
import { createServiceApp } from '../../src/platform/serviceApp';
import { onShutdownSignal } from '../../src/platform/shutdown';
import { seedSociety, type Service } from '../booking/world';

let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
  statements++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

/** Until the head stops moving: an applied event can set off a command (a promotion) that appends more. */
const settle = async ({ store, waiter }: Services) => {
  for (;;) {
    const head = await store.headPosition();
    if (!(await waiter.waitFor(head, 60_000))) throw new Error('the read side did not catch up in 60 s');
    if (formatPosition(await store.headPosition()) === formatPosition(head)) return;
  }
};

type Storm = Awaited<ReturnType<typeof seedSociety>>;

const benchRoutes = (services: Services, base: () => string) => {
  const router = express.Router();
  router.use(express.json({ limit: '5mb' }));
  const reply =
    (work: (body: Record<string, unknown>) => Promise<unknown>): express.RequestHandler =>
    (req, res) =>
      void work(req.body as Record<string, unknown>).then(
        (answer) => res.json(answer),
        (error: unknown) => res.status(500).json({ error: String(error) }),
      );
  router.get('/select-1', (_req, res, next) => {
    services.database.pool.query('SELECT 1').then(() => res.json({ ok: true }), next);
  });
  router.get('/statements', (_req, res) => void res.json({ statements }));
  router.get(
    '/settled',
    reply(() => settle(services).then(() => ({ statements }))),
  );
  let storm: Storm | undefined;
  const stormOf = () => {
    if (!storm) throw new Error('POST /bench/storm/society first');
    return storm;
  };
  router.post(
    '/storm/society',
    reply(async () => {
      // Only what world.ts's seeding uses of a started bench service.
      const service = {
        base: `${base()}/api/v1`,
        commands: services.commands,
        store: services.store,
        waiter: services.waiter,
      };
      storm = await seedSociety(service as unknown as Service);
      return { token: storm.bookingRequest('', '').token };
    }),
  );
  router.post(
    '/storm/members',
    reply(async (body) => stormOf().members(Number(body.count))),
  );
  router.post(
    '/storm/classes',
    reply(async (body) => stormOf().classes(body.slots as Parameters<Storm['classes']>[0])),
  );
  return router;
};

const main = async () => {
  const { config, logger, services } = await startBenchServices();
  let port = 0;
  const outer = express();
  outer.disable('x-powered-by');
  outer.use(
    '/bench',
    benchRoutes(services, () => `http://127.0.0.1:${port}`),
  );
  outer.use(createServiceApp(services));
  const server: Server = await new Promise((resolve) => {
    const s = outer.listen(config.PORT, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : config.PORT;
  process.stdout.write(`listening ${port}\n`);
  onShutdownSignal(logger, async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await services.close();
  });
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
