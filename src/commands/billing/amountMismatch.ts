import { normaliseAmount } from '../../events/billing/money';

/**
 * What a member (or the admin paying for them) needs to pay again: the price the subscription was
 * taken at — a later change of the plan's price does not touch it — and its currency.
 */
export const amountMismatchDetail = (sent: string, price: string, currency: string): string =>
  `The subscription costs ${normaliseAmount(price)} ${currency}; ${normaliseAmount(sent)} was sent. Pay exactly ${normaliseAmount(price)}.`;
