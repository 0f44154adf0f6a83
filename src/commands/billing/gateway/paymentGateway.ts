/**
 * The port a payment provider plugs into. An adapter turns our request into the provider's
 * call and its answer into one of three outcomes; everything else (events, subscriptions,
 * invoices) stays on our side of the port.
 */
export interface ChargeRequest {
  readonly paymentId: string;
  readonly transactionId: string;
  readonly amount: string;
  readonly currency: string;
  readonly memberId: string;
}

export type GatewayOutcome =
  | { readonly status: 'completed'; readonly reference: string }
  | { readonly status: 'failed'; readonly reference: string; readonly reason: string }
  /** Not settled yet: a webhook or the payment status check will settle it. */
  | { readonly status: 'pending'; readonly reference: string };

export interface RefundRequest {
  readonly paymentId: string;
  /**
   * The provider's idempotency key for this refund: asking again with the same `refundId` refunds
   * once and answers with the same reference. Refunds rely on it — a request whose answer was lost
   * (a crash, a timeout) is asked again by the `refund_reconciliation` job with the same id. Both
   * adapters here keep it: `simulated` and `manual` move nothing themselves and answer with a
   * reference derived from the refund id alone. A real provider's adapter must pass it as the
   * provider's idempotency key (e.g. Stripe's `Idempotency-Key` header).
   */
  readonly refundId: string;
  readonly transactionId: string;
  readonly amount: string;
  readonly currency: string;
}

export interface PaymentGateway {
  readonly name: string;
  charge(request: ChargeRequest): Promise<GatewayOutcome>;
  /** Asks the provider where a pending payment stands (the payment status check calls it). */
  lookup(request: ChargeRequest): Promise<GatewayOutcome>;
  /**
   * Returns the provider's refund reference. Throws `RefundRefusedError` when the provider has
   * definitely refused (no money moved: the refund is recorded as failed); any other error means
   * the outcome is unknown (a timeout, the network) and the refund stays pending, to be asked
   * about again with the same `refundId`.
   */
  refund(request: RefundRequest): Promise<{ reference: string }>;
}

/** The provider's definite "no" to a refund: nothing was refunded, and asking again will not change it. */
export class RefundRefusedError extends Error {
  override readonly name = 'RefundRefusedError';
  constructor(readonly reason: string) {
    super(`the provider refused the refund: ${reason}`);
  }
}

/** The gateway's word for an outcome, as a webhook delivers it. */
export interface WebhookNotice {
  readonly deliveryId: string;
  readonly type: 'payment.succeeded' | 'payment.failed';
  readonly transactionId: string;
  readonly reference: string;
  readonly reason?: string;
}
