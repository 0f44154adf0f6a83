import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { referenceDocs } from '../../src/docs/generateReferenceDocs';

// The permission matrix and the problem-type catalogue are generated from the code; the committed
// copies must be what `npm run docs` writes today.
const root = join(__dirname, '..', '..');

describe('generated reference docs', () => {
  it.each(Object.entries(referenceDocs(root)))('%s is up to date (run `npm run docs`)', (path, fresh) => {
    expect(readFileSync(join(root, path), 'utf8')).toBe(fresh);
  });
});
