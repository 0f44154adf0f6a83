import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run evidence` sets EVIDENCE_RESULTS_DIR and reads back what each evidence test counted
 * (requests sent, 5xx seen, writes lost…) into its summary table. Under a plain `npm test` the
 * variable is unset and nothing is written.
 */
export const recordEvidence = (name: string, figures: Record<string, unknown>): void => {
  const dir = process.env.EVIDENCE_RESULTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
};
