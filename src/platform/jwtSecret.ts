import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * JWT_SECRET when given; otherwise one generated on first start and kept in DATA_DIR, so the
 * embedded default works with nothing set and sessions survive a restart. Development only:
 * with NODE_ENV=production loadConfig refuses to start without JWT_SECRET (replicas must share
 * one key, and a production image's files are read-only), so this never writes there.
 */
export const resolveJwtSecret = (configured: string | undefined, dataDir: string): string => {
  if (configured) return configured;
  const root = resolve(dataDir);
  const file = join(root, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(root, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
};
