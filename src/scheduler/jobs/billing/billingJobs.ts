import type { Knex } from 'knex';
import type { BillingGateways } from '../../../commands/billing/billingGateways';
import type { CommandHandler } from '../../../commands/handling/commandHandler';
import type { Job } from '../../job';
import { membershipExpirationCheckJob } from './membershipExpirationCheckJob';
import { paymentStatusCheckJob } from './paymentStatusCheckJob';
import { refundReconciliationJob } from './refundReconciliationJob';

/** Billing's scheduled tasks, for the scheduler's job list. */
export const billingJobs = (knex: Knex, commands: CommandHandler, gateways: BillingGateways): Job[] => [
  paymentStatusCheckJob({ knex, commands, gateways }),
  membershipExpirationCheckJob({ knex, commands }),
  refundReconciliationJob({ knex, commands, gateways }),
];
