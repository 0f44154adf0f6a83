import { randomBytes } from 'node:crypto';
import { argon2id, argon2Verify } from 'hash-wasm';

/**
 * argon2id (memory-hard, as the spec asks) in WebAssembly: hash-wasm needs no native build, and
 * the native `argon2` package's prebuilt binary crashed this project's machines. Parameters are
 * OWASP's first recommendation: 19 MiB, 2 passes, 1 lane.
 */
export const hashPassword = (password: string): Promise<string> =>
  argon2id({
    password,
    salt: randomBytes(16),
    parallelism: 1,
    iterations: 2,
    memorySize: 19_456,
    hashLength: 32,
    outputType: 'encoded',
  });

export const verifyPassword = async (hash: string, password: string): Promise<boolean> => {
  try {
    return await argon2Verify({ password, hash });
  } catch {
    return false;
  }
};

/** Verified against when no account matches, so "no such user" takes as long as "wrong password". */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword('decoy-password-never-used'));
