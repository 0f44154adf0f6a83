import { writeFileSync } from 'node:fs';
import { openapiDocument } from '../api/openapi/openapiDocument';
import { routeBookOffline } from './routeBookOffline';

/**
 * `node --import tsx src/docs/writeOpenapiDocument.ts <file>`: writes the document
 * /api/v1/openapi.json serves, built without a database, for `npm run lint:openapi` to lint.
 */
if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: writeOpenapiDocument.ts <output.json>\n');
    process.exit(2);
  }
  writeFileSync(file, `${JSON.stringify(openapiDocument(routeBookOffline().registry), null, 2)}\n`);
  process.stdout.write(`wrote ${file}\n`);
  // The offline app holds a knex pool and timers it never uses: nothing else would end the process.
  process.exit(0);
}
