import { LRUCache } from 'lru-cache';
import { streams } from '../../events/streams';
import { classDecider } from '../classes/classDecider';
import type { CommandHandler } from '../handling/commandHandler';

/** What a booking needs to know about its class before the class stream decides. */
export interface ClassFact {
  readonly societyId: string;
  readonly name: string;
  /** Society-local date: fixes the booking's week. */
  readonly date: string;
  readonly startsAt: string;
  readonly endsAt: string;
  /** The society's zone the class was scheduled in: a booking's date is that zone's. */
  readonly timezone: string;
}

const FRESH_FOR_MS = 10_000;
const CAPACITY = 5_000;

/**
 * A short-lived cache of class facts, so a hot class's stream (one event per booking) is not read
 * in full for every booking. Stale facts are safe: the class stream re-checks society and week
 * when it decides the seat and refuses a booking made on a moved class, which drops the entry.
 */
export class ClassFacts {
  /**
   * In-flight loads are shared (`fetch`): a burst on a cold class reads its stream once. A missing
   * class or a failed read is not remembered. Forgetting a class during its read does not fail
   * the bookings already waiting on it (`ignoreFetchAbort`); the read's answer is simply not kept.
   * Freshness is by the wall clock (`Date.now`), counted from when the read answered.
   */
  private readonly entries = new LRUCache<string, ClassFact>({
    max: CAPACITY,
    ttl: FRESH_FOR_MS,
    ttlResolution: 0,
    perf: { now: () => Date.now() },
    ignoreFetchAbort: true,
    fetchMethod: (classId) => this.load(classId),
  });

  constructor(private readonly commands: CommandHandler) {}

  get(classId: string): Promise<ClassFact | undefined> {
    return this.entries.fetch(classId);
  }

  forget(classId: string): void {
    this.entries.delete(classId);
  }

  private async load(classId: string): Promise<ClassFact | undefined> {
    const { state } = await this.commands.load(streams.class(classId), classDecider);
    if (!state.exists) return undefined;
    const { societyId, name, date, startsAt, endsAt, timezone } = state;
    return { societyId, name, date, startsAt, endsAt, timezone };
  }
}
