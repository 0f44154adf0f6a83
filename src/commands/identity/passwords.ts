import argon2 from 'argon2';

/** argon2id with the library's defaults (64 MiB, 3 passes): memory-hard, as the spec asks. */
export const hashPassword = (password: string): Promise<string> =>
  argon2.hash(password, { type: argon2.argon2id });

export const verifyPassword = async (hash: string, password: string): Promise<boolean> => {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
};

/** Verified against when no account matches, so "no such user" takes as long as "wrong password". */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword('decoy-password-never-used'));
