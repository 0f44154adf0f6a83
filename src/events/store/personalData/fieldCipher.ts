import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Marks an encrypted field: `pd1:` + base64url(iv ‖ tag ‖ ciphertext), AES-256-GCM. */
const PREFIX = 'pd1:';

export const isEncrypted = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith(PREFIX);

export const newDataKey = (): Buffer => randomBytes(32);

export const encryptField = (key: Buffer, plaintext: string): string => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
};

/** Throws when the key is not the one it was encrypted with (GCM authenticates). */
export const decryptField = (key: Buffer, encrypted: string): string => {
  const raw = Buffer.from(encrypted.slice(PREFIX.length), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
};
