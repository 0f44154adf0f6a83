import { streams } from '../../events/streams';
import { classDecider } from '../classes/classDecider';
import type { CommandHandler } from '../shared/commandHandler';

/** What a booking needs to know about its class before the class stream decides. */
export interface ClassFact {
  readonly societyId: string;
  readonly name: string;
  /** Society-local date: fixes the booking's week. */
  readonly date: string;
  readonly startsAt: string;
  readonly endsAt: string;
}

const FRESH_FOR_MS = 10_000;
const CAPACITY = 5_000;

/**
 * A short-lived cache of class facts, so a hot class's stream (one event per booking) is not read
 * in full for every booking. Stale facts are safe: the class stream re-checks society and week
 * when it decides the seat and refuses a booking made on a moved class, which drops the entry.
 */
export class ClassFacts {
  /** In-flight loads are shared: a burst on a cold class reads its stream once. */
  private readonly entries = new Map<string, { fact: Promise<ClassFact | undefined>; at: number }>();

  constructor(private readonly commands: CommandHandler) {}

  get(classId: string): Promise<ClassFact | undefined> {
    const cached = this.entries.get(classId);
    if (cached && Date.now() - cached.at < FRESH_FOR_MS) return cached.fact;
    const fact = this.load(classId);
    this.entries.delete(classId);
    this.entries.set(classId, { fact, at: Date.now() });
    if (this.entries.size > CAPACITY) this.entries.delete(this.entries.keys().next().value!);
    // A failed or missing load is not remembered.
    fact.then(
      (f) => f ?? this.forget(classId),
      () => this.forget(classId),
    );
    return fact;
  }

  forget(classId: string): void {
    this.entries.delete(classId);
  }

  private async load(classId: string): Promise<ClassFact | undefined> {
    const { state } = await this.commands.load(streams.class(classId), classDecider);
    if (!state.exists) return undefined;
    const { societyId, name, date, startsAt, endsAt } = state;
    return { societyId, name, date, startsAt, endsAt };
  }
}
