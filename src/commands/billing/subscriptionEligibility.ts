import { streams } from '../../events/streams';
import type { CommandHandler } from '../handling/commandHandler';
import { activeSubscriptionAt, subscriptionDecider } from './subscriptionDecider';

export interface SubscriptionEligibility {
  /** True when the member holds a subscription that is active (paid, started, not ended/cancelled) at `at`. */
  isActiveAt(memberId: string, at: Date): Promise<boolean>;
}

/**
 * Folds the member's subscription stream (the write side, never a lagging read model), so a
 * booking decided a moment after a payment completed already sees the member as eligible.
 */
export const subscriptionEligibility = (commands: CommandHandler): SubscriptionEligibility => ({
  isActiveAt: async (memberId, at) => {
    const { state } = await commands.load(streams.memberSubscriptions(memberId), subscriptionDecider);
    return activeSubscriptionAt(state, at) !== undefined;
  },
});
