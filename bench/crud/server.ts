/**
 * The CRUD baseline as a process of its own (forked by bench/compare): its schema applied, its
 * app behind two bench-only routes outside it, as bench/api/server.ts serves the project:
 * GET /bench/select-1 (one SELECT 1 on the same pool: the baseline) and GET /bench/statements
 * (statements sent to PostgreSQL so far). Prints `listening <port>` when ready.
 *
 * Env: DATABASE_URL, JWT_SECRET, DB_POOL_SIZE (20), PORT (0: any).
 */
import express from 'express';
import { signingKey } from './auth';
import { createCrudApp } from './app';
import { applySchema, countStatements, openPool, statementsSent } from './database';

countStatements();
const url = process.env.DATABASE_URL;
const secret = process.env.JWT_SECRET;
if (!url || !secret) throw new Error('DATABASE_URL and JWT_SECRET are required');
const pool = openPool(url, Number(process.env.DB_POOL_SIZE ?? 20));

const main = async () => {
  await applySchema(pool);
  const outer = express();
  outer.disable('x-powered-by');
  outer.get('/bench/select-1', (_req, res, next) => {
    pool.query('SELECT 1').then(() => res.json({ ok: true }), next);
  });
  outer.get('/bench/statements', (_req, res) => void res.json({ statements: statementsSent() }));
  // Nothing runs in the background here: every statement belongs to the request that sent it.
  outer.get('/bench/settled', (_req, res) => void res.json({ statements: statementsSent() }));
  outer.use(createCrudApp(pool, signingKey(secret)));
  const server = outer.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
  });
  const stop = () => {
    server.close();
    server.closeAllConnections();
    void pool.end().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
