import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { subscriptionDecider } from '../../../commands/billing/subscriptionDecider';
import type { CommandHandler } from '../../../commands/handling/commandHandler';
import { streams } from '../../../events/streams';
import { subscriptionsEndingBefore } from '../../../projections/billing/billingQueries';
import type { Job } from '../../job';

/**
 * `membership_expiration_check`: records `SubscriptionExpiryNoticeGiven` a few days before a
 * subscription ends and `SubscriptionExpired` once it has (facts the notification reactor turns
 * into messages). Eligibility itself never waits for this job: a subscription stops counting at
 * its `endsAt` instant (midnight in the society's zone), whenever the job happens to run.
 */
export const membershipExpirationCheckJob = (
  deps: { knex: Knex; commands: CommandHandler; clock?: () => Date },
  options: { noticeDays?: number; batchSize?: number } = {},
): Job => ({
  name: 'membership_expiration_check',
  schedule: '15 * * * *',
  run: async (signal) => {
    const noticeDays = options.noticeDays ?? 3;
    const now = (deps.clock ?? (() => new Date()))();
    const candidates = await subscriptionsEndingBefore(
      deps.knex,
      new Date(now.getTime() + noticeDays * 86_400_000),
      options.batchSize ?? 500,
    );
    const recorded = { SubscriptionExpired: 0, SubscriptionExpiryNoticeGiven: 0 };
    for (const row of candidates) {
      if (signal.aborted) break;
      const outcome = await deps.commands.handle(
        streams.memberSubscriptions(row.member_id),
        subscriptionDecider,
        { type: 'CheckExpiry', subscriptionId: row.id, noticeDays },
        { commandId: randomUUID(), commandType: 'CheckExpiry', actor: { id: 'scheduler', role: 'system' } },
      );
      for (const event of outcome.events) {
        if (event.type === 'SubscriptionExpired' || event.type === 'SubscriptionExpiryNoticeGiven')
          recorded[event.type]++;
      }
    }
    return `${recorded.SubscriptionExpired} expired, ${recorded.SubscriptionExpiryNoticeGiven} told of expiry`;
  },
});
