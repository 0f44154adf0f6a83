import type { BillingGateways } from '../../commands/billing/billingGateways';
import { manualGateway } from '../../commands/billing/gateway/manualGateway';
import { simulatedGateway } from '../../commands/billing/gateway/simulatedGateway';

export interface BillingDependencies {
  gateways: BillingGateways;
  webhook: {
    /** The secret the provider signs deliveries with; without one the webhook answers 503. */
    secret: string | undefined;
    /** How old a signed timestamp may be (and how far in the future), in seconds. */
    toleranceSeconds: number;
  };
  /** The clock the webhook's timestamp tolerance is judged by. */
  clock: () => Date;
}

/** The embedded default: the simulated provider (payments complete at once) and manual records. */
export const defaultBilling = (overrides: Partial<BillingDependencies> = {}): BillingDependencies => ({
  gateways: { online: simulatedGateway(), manual: manualGateway() },
  webhook: { secret: undefined, toleranceSeconds: 300 },
  clock: () => new Date(),
  ...overrides,
});
