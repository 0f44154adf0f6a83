import { randomUUID } from 'node:crypto';
import type { Decider, DomainEvent } from '../../src/commands/handling/decider';

/**
 * What every contender writes and reads: the same small event, the same metadata shape, the same
 * fold. Only how the store gets it to PostgreSQL differs.
 */
export const EVENT_TYPE = 'AttendanceMarked';

export type AttendanceData = {
  readonly classId: string;
  readonly memberId: string;
  readonly seat: number;
};

export type AttendanceEvent = DomainEvent<typeof EVENT_TYPE, AttendanceData>;

export interface AttendanceState {
  readonly marked: number;
}

export const newEventData = (seat: number): AttendanceData => ({
  classId: 'c0ffee00-0000-4000-8000-000000000001',
  memberId: randomUUID(),
  seat,
});

/** The metadata our CommandHandler records, for the contenders that build it themselves. */
export const newMetadata = (): Record<string, unknown> => {
  const commandId = randomUUID();
  return {
    commandId,
    commandType: 'MarkAttendance',
    correlationId: commandId,
    causationId: commandId,
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
  };
};

export const initialState = (): AttendanceState => ({ marked: 0 });

export const evolve = (state: AttendanceState, _event: { type: string; data: unknown }): AttendanceState => ({
  marked: state.marked + 1,
});

/** Always decides one more attendance: the command never refuses, so every run appends. */
export const decide = (state: AttendanceState): AttendanceEvent => ({
  type: EVENT_TYPE,
  data: newEventData(state.marked + 1),
});

export const attendanceDecider: Decider<AttendanceState, { type: 'MarkAttendance' }, AttendanceEvent> = {
  initialState,
  evolve,
  decide: (_command, state) => [decide(state)],
};

/** Events a pre-seeded stream starts with. */
export const SEED_EVENTS = 10;
