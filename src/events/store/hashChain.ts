import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';

/**
 * Tamper evidence: every event carries `hash = sha256(previous hash : revision : content digest)`,
 * chained along its stream from GENESIS_HASH. Altering, removing or reordering a stored event
 * breaks the link at that event and every later one. Every adapter computes the content digest
 * here, in JavaScript, over the same canonical JSON (keys sorted): PostgreSQL's jsonb text is
 * canonical too but not the same text, so the digest travels with the append and only the
 * chaining runs in SQL, where the previous hash is known under the stream's row lock.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface HashedContent {
  readonly streamId: string;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** What the event says, stream included (an event moved to another stream no longer verifies). */
export const contentDigest = (event: HashedContent): string =>
  sha256Hex(
    stringify({
      streamId: event.streamId,
      id: event.id,
      type: event.type,
      data: event.data ?? null,
      metadata: event.metadata ?? {},
    }) ?? '',
  );

/** Mirrored in SQL by append_to_stream (migration 0009_audit): keep the two in step. */
export const chainHash = (previousHash: string, revision: number, digest: string): string =>
  sha256Hex(`${previousHash}:${revision}:${digest}`);
