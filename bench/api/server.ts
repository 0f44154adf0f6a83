/**
 * The service as `npm start` composes it (src/main.ts), plus one route that exists only here:
 * `GET /bench/select-1`, a bare express handler doing one `SELECT 1` on the same pool. It is the
 * baseline every endpoint is compared with: same process, same HTTP stack, same database, no
 * business logic. Run as a child of bench/api/index.ts; the scheduler stays off so no job runs
 * inside a measurement.
 */
import type { Server } from 'node:http';
import express from 'express';
import { startBenchServices } from '../support/benchServices';
import { createServiceApp } from '../../src/platform/serviceApp';
import { onShutdownSignal } from '../../src/platform/shutdown';

const main = async () => {
  const { config, logger, services } = await startBenchServices();
  const app = createServiceApp(services);
  const outer = express();
  outer.disable('x-powered-by');
  outer.get('/bench/select-1', async (_req, res, next) => {
    try {
      await services.database.pool.query('SELECT 1');
      res.json({ ok: true });
    } catch (error) {
      next(error);
    }
  });
  outer.use(app);
  const server: Server = await new Promise((resolve) => {
    const s = outer.listen(config.PORT, '127.0.0.1', () => resolve(s));
  });
  // The parent waits for this line before seeding.
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : config.PORT}\n`);
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
