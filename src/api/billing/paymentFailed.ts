import { HttpProblem } from '../http/errorHandler';
import { POSITION_HEADER } from '../http/readYourWrites';

interface FailedPayment {
  id: string;
  payment_status: string;
  failure_reason: string | null;
  transaction_id: string;
}

/**
 * The spec's "400 Bad Request: Payment failed": the provider declined. Unlike a refusal, the
 * attempt is recorded (a failed payment in the member's history, its id here); the subscription
 * still awaits payment, so the caller can pay again at once with a new transaction id.
 */
export const paymentFailed = (payment: FailedPayment, answerHeaders: Record<string, string>) =>
  new HttpProblem(
    400,
    'payment-failed',
    'Payment failed',
    `The payment provider declined the payment (${payment.failure_reason ?? 'no reason given'}); nothing was charged. ` +
      'The subscription still awaits payment: pay again with a new transaction_id, or with another card or account.',
    {
      payment_id: payment.id,
      payment_status: payment.payment_status,
      failure_reason: payment.failure_reason,
      transaction_id: payment.transaction_id,
    },
    // Where the failed payment stands, to read it back from the history (?min_position=).
    answerHeaders[POSITION_HEADER] ? { [POSITION_HEADER]: answerHeaders[POSITION_HEADER] } : {},
  );
