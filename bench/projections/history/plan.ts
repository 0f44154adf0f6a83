import type { ExpectedRevision, NewEvent } from '../../../src/events/store/eventStore';

/** The shape of what the history generator hands seed.ts: appends, phase by phase, per society. */
export const HISTORY_WEEKS = 6;

/** One append as the seed makes it, with the revision the stream must be at. */
export interface PlannedAppend {
  readonly streamId: string;
  readonly expectedRevision: ExpectedRevision;
  readonly events: readonly NewEvent[];
}

/** A society's appends, phase by phase: phase 0 is the setup, then one per week, then "this week". */
export type SocietyHistory = readonly (readonly PlannedAppend[])[];

export interface Histories {
  readonly societies: readonly SocietyHistory[];
  readonly events: number;
  /** When the simulated history begins: seed.ts spreads `created_at` from here to now. */
  readonly startsAt: Date;
}
