export default async function globalTeardown() {
  const pg = globalThis.__ARCFIT_PG__;
  if (pg) await pg.stop();
}
