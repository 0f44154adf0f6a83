import { z } from 'zod';
import type { DomainEvent } from '../domainEvent';

/**
 * Claims on a unique value (an email, a phone number, a society name). One stream per value;
 * whoever appends first owns it, so uniqueness holds on the write side without a shared index.
 */
export const uniqueValueClaimedSchema = z.object({ owner: z.string(), kind: z.string() });
export const uniqueValueReleasedSchema = z.object({ owner: z.string(), kind: z.string() });

export type UniqueValueClaimed = DomainEvent<'UniqueValueClaimed', z.infer<typeof uniqueValueClaimedSchema>>;
export type UniqueValueReleased = DomainEvent<
  'UniqueValueReleased',
  z.infer<typeof uniqueValueReleasedSchema>
>;
export type UniqueClaimEvent = UniqueValueClaimed | UniqueValueReleased;
