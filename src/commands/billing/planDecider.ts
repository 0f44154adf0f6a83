import { refuse, type Decider } from '../handling/decider';
import type { PlanCreated, PlanEvent, PlanTerms } from '../../events/billing/planEvents';

export type PlanCommand =
  | ({ type: 'CreatePlan' } & PlanCreated['data'])
  | { type: 'ChangePlan'; planId: string; changes: Partial<PlanTerms> }
  | { type: 'RetirePlan'; planId: string; retiredBy: string };

export type PlanState =
  | { exists: false }
  | { exists: true; planId: string; societyId: string | null; terms: PlanTerms; retired: boolean };

const notFound = (planId: string) => refuse('plan-not-found', 404, 'Plan not found', `No plan ${planId}`);
const retired = (planId: string) =>
  refuse(
    'plan-retired',
    422,
    'This plan is retired',
    `Plan ${planId} takes no changes and no new subscribers`,
  );

export const planDecider: Decider<PlanState, PlanCommand, PlanEvent> = {
  initialState: () => ({ exists: false }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'PlanCreated': {
        const { planId, societyId, name, price, currency, durationInDays } = event.data;
        return {
          exists: true,
          planId,
          societyId,
          terms: { name, price, currency, durationInDays },
          retired: false,
        };
      }
      case 'PlanChanged':
        return state.exists ? { ...state, terms: { ...state.terms, ...event.data.changes } } : state;
      case 'PlanRetired':
        return state.exists ? { ...state, retired: true } : state;
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'CreatePlan': {
        if (state.exists)
          return refuse(
            'plan-exists',
            409,
            'This plan already exists',
            `Plan ${command.planId} is already created; read it with GET /subscriptions/${command.planId}.`,
          );
        const { type: _type, ...data } = command;
        return [{ type: 'PlanCreated', data }];
      }
      case 'ChangePlan': {
        if (!state.exists) return notFound(command.planId);
        if (state.retired) return retired(command.planId);
        const changes = Object.fromEntries(
          Object.entries(command.changes).filter(
            ([key, value]) => value !== undefined && state.terms[key as keyof PlanTerms] !== value,
          ),
        );
        if (Object.keys(changes).length === 0) return [];
        return [{ type: 'PlanChanged', data: { planId: command.planId, changes } }];
      }
      case 'RetirePlan':
        if (!state.exists) return notFound(command.planId);
        if (state.retired) return [];
        return [{ type: 'PlanRetired', data: { planId: command.planId, retiredBy: command.retiredBy } }];
    }
  },
};
