import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { permissionMatrixMarkdown } from './permissionMatrix';
import { problemTypesIn, problemTypesMarkdown } from './problemTypes';
import { routeBookOffline } from './routeBookOffline';

/** The reference pages generated from the code, by path under the repository root. */
export const referenceDocs = (root: string): Record<string, string> => ({
  'docs/permissions.md': permissionMatrixMarkdown(routeBookOffline().routes),
  'docs/problem-types.md': problemTypesMarkdown(problemTypesIn(root)),
});

/** `npm run docs`: rewrites the generated pages (commit them; a test fails when they are stale). */
if (require.main === module) {
  const root = join(__dirname, '..', '..');
  for (const [path, text] of Object.entries(referenceDocs(root))) {
    writeFileSync(join(root, path), text);
    process.stdout.write(`wrote ${path}\n`);
  }
  process.exit(0);
}
