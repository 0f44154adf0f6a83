import { comparePositions, type Position } from '../../events/store/position';
import { CommandRefusedError, ConcurrencyConflictError, type CommandOutcome } from './commandHandler';
import type { DomainEvent } from './decider';

/**
 * Reserve, then act, then compensate: how a rule that spans streams is kept without a
 * transaction across them (docs/architecture.md, "Rules across streams"). Uniqueness claims,
 * booking (weekly slot, then seat) and trainer-day claims (day, then class) all run through here,
 * so they agree on the one question that matters: when may a reservation be given back?
 *
 * Only when the act certainly wrote nothing: it was refused, or it lost an optimistic race. After
 * any other error (a dropped connection, a timeout) the act's append may have committed; giving
 * the reservation back then would hand a taken email, slot or seat to someone else. Such a
 * reservation stays, and the reconciler for that kind settles it later from what was recorded.
 */
export const certainlyNotRecorded = (error: unknown): boolean =>
  error instanceof CommandRefusedError || error instanceof ConcurrencyConflictError;

export interface SagaSteps<Reserved, Result> {
  /** Checks the act could succeed as things stand, before anything is reserved (writes nothing). */
  readonly precheck?: () => Promise<void>;
  readonly reserve: () => Promise<Reserved>;
  readonly act: (reserved: Reserved) => Promise<Result>;
  /** Gives the reservation back; runs only when the act certainly wrote nothing. */
  readonly compensate: (reserved: Reserved) => Promise<unknown>;
}

export const reserveThenAct = async <Reserved, Result>(
  steps: SagaSteps<Reserved, Result>,
): Promise<Result> => {
  await steps.precheck?.();
  const reserved = await steps.reserve();
  try {
    return await steps.act(reserved);
  } catch (error) {
    if (certainlyNotRecorded(error)) {
      // A failed compensation is left to the reconciler: the caller must hear the act's error.
      await steps.compensate(reserved).catch(() => undefined);
    }
    throw error;
  }
};

/**
 * An outcome answered at the latest position any of its steps wrote, so the HTTP answer's
 * read-your-writes wait covers a release that followed the act's own append too.
 */
export const coveringSteps = <E extends DomainEvent>(
  outcome: CommandOutcome<E>,
  steps: readonly { position: Position | undefined }[],
): CommandOutcome<E> => ({
  ...outcome,
  position: [outcome, ...steps]
    .map((s) => s.position)
    .reduce<Position | undefined>(
      (a, b) => (!a ? b : !b ? a : comparePositions(a, b) >= 0 ? a : b),
      undefined,
    ),
});
