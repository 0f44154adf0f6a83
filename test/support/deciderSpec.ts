import {
  isRefusal,
  type Decider,
  type DecisionContext,
  type DomainEvent,
  type Refusal,
} from '../../src/commands/handling/decider';

const fixedContext: DecisionContext = {
  now: new Date('2026-03-01T10:00:00Z'),
  newId: () => '00000000-0000-4000-8000-000000000001',
};

/**
 * Given / When / Then on a decider, the way the rule book reads:
 *   spec(decider).given([...events]).when(command).then([...events])  or  .thenRefused('type')
 */
export const deciderSpec = <S, C, E extends DomainEvent>(decider: Decider<S, C, E>, ctx = fixedContext) => ({
  given: (events: E[]) => ({
    when: (command: C) => {
      const state = events.reduce(decider.evolve, decider.initialState());
      const decision = decider.decide(command, state, ctx);
      return {
        then: (expected: E[]) => {
          if (isRefusal(decision)) throw new Error(`expected events, got refusal ${decision.type}`);
          expect(decision).toEqual(expected);
        },
        thenRefused: (type: string, status?: Refusal['status']) => {
          expect(isRefusal(decision) ? decision.type : decision).toBe(type);
          if (status !== undefined) expect((decision as Refusal).status).toBe(status);
        },
      };
    },
  }),
});
