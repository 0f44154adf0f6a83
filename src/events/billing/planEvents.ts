import { z } from 'zod';
import type { DomainEvent } from '../domainEvent';
import { currencySchema, moneyAmountSchema } from './money';

/** What a plan offers; `societyId` null means offered to every society (created by a super_admin). */
export const planTermsSchema = z.object({
  name: z.string(),
  price: moneyAmountSchema,
  currency: currencySchema,
  durationInDays: z.number().int().positive(),
});
export type PlanTerms = z.infer<typeof planTermsSchema>;

export const planCreatedSchema = planTermsSchema.extend({
  planId: z.string().uuid(),
  societyId: z.string().uuid().nullable(),
  createdBy: z.string().uuid(),
});

/** Only what changed. Existing subscriptions keep the terms they were bought on. */
export const planChangedSchema = z.object({
  planId: z.string().uuid(),
  changes: planTermsSchema.partial(),
});

/** A retired plan takes no new subscribers; current subscribers run to their end. */
export const planRetiredSchema = z.object({
  planId: z.string().uuid(),
  retiredBy: z.string().uuid(),
});

export type PlanCreated = DomainEvent<'PlanCreated', z.infer<typeof planCreatedSchema>>;
export type PlanChanged = DomainEvent<'PlanChanged', z.infer<typeof planChangedSchema>>;
export type PlanRetired = DomainEvent<'PlanRetired', z.infer<typeof planRetiredSchema>>;
export type PlanEvent = PlanCreated | PlanChanged | PlanRetired;
