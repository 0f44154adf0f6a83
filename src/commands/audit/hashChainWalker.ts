import { createHash } from 'node:crypto';
import type { RecordedEvent } from '../../events/store/eventStore';
import { chainHash, contentDigest, GENESIS_HASH } from '../../events/store/hashChain';

export type BrokenLinkReason = 'missing-hash' | 'revision-gap' | 'hash-mismatch';

export interface BrokenLink {
  readonly streamId: string;
  readonly revision: number;
  readonly eventId: string;
  readonly reason: BrokenLinkReason;
  readonly expected: string;
  readonly found: string;
}

export interface ChainReport {
  readonly ok: boolean;
  readonly eventsChecked: number;
  readonly streamsChecked: number;
  /** The first broken link of each broken stream, in `$all` order: the first is where to look. */
  readonly brokenLinks: readonly BrokenLink[];
  /**
   * sha256 over every stream's last hash: record it somewhere the database's owner cannot reach
   * (a ticket, a signed mail). Anyone able to rewrite events can also recompute their chain;
   * they cannot make the head match a digest written down before.
   */
  readonly headDigest: string;
}

/** Where a stream's chain stands after the events walked so far. */
export interface StreamTip {
  revision: number;
  hash: string;
  broken: boolean;
}

/**
 * Walks events in `$all` order and checks each one against its stream's chain so far. Pure. A
 * walk may resume: give it the tips of the streams it will meet, as a previous walk left them.
 */
export class HashChainWalker {
  private readonly tips: Map<string, StreamTip>;
  private readonly broken: BrokenLink[] = [];
  private checked = 0;

  constructor(tips: ReadonlyMap<string, StreamTip> = new Map()) {
    this.tips = new Map([...tips].map(([id, tip]) => [id, { ...tip }]));
  }

  /** Whether the walk has met this stream or was given its tip. */
  knows(streamId: string): boolean {
    return this.tips.has(streamId);
  }

  /** Tips of streams it has not met yet, as a previous walk left them (streams it knows keep theirs). */
  resume(tips: ReadonlyMap<string, StreamTip>): void {
    for (const [id, tip] of tips) if (!this.tips.has(id)) this.tips.set(id, { ...tip });
  }

  /** Every stream's tip as the walk leaves it (to persist a resumable walk). */
  tipsNow(): ReadonlyMap<string, StreamTip> {
    return this.tips;
  }

  observe(event: RecordedEvent): BrokenLink | undefined {
    this.checked += 1;
    const tip = this.tips.get(event.streamId) ?? { revision: -1, hash: GENESIS_HASH, broken: false };
    this.tips.set(event.streamId, tip);
    const link = this.check(event, tip);
    tip.revision = event.revision;
    tip.hash = event.hash ?? '';
    if (!link || tip.broken) return undefined;
    tip.broken = true;
    this.broken.push(link);
    return link;
  }

  private check(event: RecordedEvent, tip: StreamTip): BrokenLink | undefined {
    const at = { streamId: event.streamId, revision: event.revision, eventId: event.id };
    if (event.revision !== tip.revision + 1) {
      return {
        ...at,
        reason: 'revision-gap',
        expected: String(tip.revision + 1),
        found: String(event.revision),
      };
    }
    if (!event.hash) return { ...at, reason: 'missing-hash', expected: 'a hash', found: '' };
    const expected = chainHash(tip.hash, event.revision, contentDigest(event));
    if (expected !== event.hash) return { ...at, reason: 'hash-mismatch', expected, found: event.hash };
    return undefined;
  }

  report(): ChainReport {
    const heads = [...this.tips.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([streamId, tip]) => `${streamId}=${tip.hash}`)
      .join('\n');
    return {
      ok: this.broken.length === 0,
      eventsChecked: this.checked,
      streamsChecked: this.tips.size,
      brokenLinks: [...this.broken],
      headDigest: createHash('sha256').update(heads).digest('hex'),
    };
  }
}
