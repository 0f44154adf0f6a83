import type { DomainEvent } from '../../events/domainEvent';

export type { DomainEvent };

/** Everything a decision may depend on that is not in the stream: the clock and fresh ids. */
export interface DecisionContext {
  readonly now: Date;
  readonly newId: () => string;
}

/**
 * A business refusal, as a value. `type` is stable (clients branch on it); the HTTP edge maps it
 * once to a problem document.
 */
export interface Refusal {
  readonly refused: true;
  readonly type: string;
  readonly status: 400 | 403 | 404 | 409 | 422;
  readonly title: string;
  readonly detail?: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export const refuse = (
  type: string,
  status: Refusal['status'],
  title: string,
  detail?: string,
  extensions?: Refusal['extensions'],
): Refusal => ({ refused: true, type, status, title, detail, extensions });

export const isRefusal = (value: unknown): value is Refusal =>
  typeof value === 'object' && value !== null && (value as Refusal).refused === true;

/** Pure: no I/O, no clock reads. Given what happened, decide what happens next. */
export interface Decider<State, Command, Event extends DomainEvent> {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: Event) => State;
  readonly decide: (command: Command, state: State, ctx: DecisionContext) => Event[] | Refusal;
}

export const fold = <State, Event extends DomainEvent>(
  decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve'>,
  events: readonly Event[],
): State => events.reduce(decider.evolve, decider.initialState());
