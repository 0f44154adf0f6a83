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
  /** Returns the provider's refund reference; throws when the provider refuses. */
  refund(request: RefundRequest): Promise<{ reference: string }>;
}

/** The gateway's word for an outcome, as a webhook delivers it. */
export interface WebhookNotice {
  readonly deliveryId: string;
  readonly type: 'payment.succeeded' | 'payment.failed';
  readonly transactionId: string;
  readonly reference: string;
  readonly reason?: string;
}
