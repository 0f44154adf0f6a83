import type { PlanFact } from './billingFacts';
import { changedRow, type PlanRow } from './billingRows';

/** The plan's row after one fact; undefined leaves it as it is. */
export const evolvePlan = (row: PlanRow | undefined, fact: PlanFact): PlanRow | undefined => {
  const { event } = fact;
  switch (fact.type) {
    case 'PlanCreated': {
      if (row) return undefined;
      const d = fact.data;
      return {
        id: d.planId,
        society_id: d.societyId,
        name: d.name,
        price: d.price,
        currency: d.currency,
        duration_in_days: d.durationInDays,
        retired: false,
        created_by: d.createdBy,
        created_at: event.createdAt,
        updated_at: event.createdAt,
        version: event.revision,
      };
    }
    case 'PlanChanged': {
      const { name, price, currency, durationInDays } = fact.data.changes;
      // Only what changed: a term left out of the event keeps its value.
      const changes: Partial<PlanRow> = {};
      if (name !== undefined) changes.name = name;
      if (price !== undefined) changes.price = price;
      if (currency !== undefined) changes.currency = currency;
      if (durationInDays !== undefined) changes.duration_in_days = durationInDays;
      return changedRow(row, event, changes);
    }
    case 'PlanRetired':
      return changedRow(row, event, { retired: true });
  }
};
