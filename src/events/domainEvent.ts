/** An event as a decider produces it: what happened, before the store gives it an id and position. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}
