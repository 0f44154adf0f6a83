import type { PaymentMethod } from '../../events/billing/paymentEvents';
import type { PaymentGateway } from './gateway/paymentGateway';

/**
 * The gateways this deployment uses: `online` is the configured provider (the simulated one by
 * default), `manual` records cash or UPI an admin received.
 */
export interface BillingGateways {
  readonly online: PaymentGateway;
  readonly manual: PaymentGateway;
}

export const gatewayForMethod = (gateways: BillingGateways, method: PaymentMethod): PaymentGateway =>
  method === 'online' ? gateways.online : gateways.manual;

/** The adapter that took a payment is the one asked about it later. */
export const gatewayNamed = (gateways: BillingGateways, name: string): PaymentGateway | undefined =>
  [gateways.online, gateways.manual].find((g) => g.name === name);
