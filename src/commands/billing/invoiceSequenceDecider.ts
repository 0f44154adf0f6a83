import type { Decider } from '../handling/decider';
import type { InvoiceNumberAssigned } from '../../events/billing/paymentEvents';

export type InvoiceSequenceCommand = { type: 'AssignInvoiceNumber'; societyId: string; paymentId: string };

export interface InvoiceSequenceState {
  readonly last: number;
  readonly byPayment: ReadonlyMap<string, number>;
}

/**
 * Invoice numbers per society with no gaps: one stream hands them out, the next is always
 * last + 1, and a payment asking again gets the number it already has (no second number, so a
 * retried settlement cannot leave a hole or a duplicate).
 */
export const invoiceSequenceDecider: Decider<
  InvoiceSequenceState,
  InvoiceSequenceCommand,
  InvoiceNumberAssigned
> = {
  initialState: () => ({ last: 0, byPayment: new Map() }),
  // The map is extended in place, not copied: a society's sequence grows with every invoice, and
  // copying it per event made folding the stream quadratic (seconds per fold at a few thousand
  // invoices). Safe because a state is never read again once a later event has been folded in.
  evolve: (state, event) => ({
    last: event.data.invoiceNumber,
    byPayment: (state.byPayment as Map<string, number>).set(event.data.paymentId, event.data.invoiceNumber),
  }),
  decide: (command, state) =>
    state.byPayment.has(command.paymentId)
      ? []
      : [
          {
            type: 'InvoiceNumberAssigned',
            data: {
              societyId: command.societyId,
              paymentId: command.paymentId,
              invoiceNumber: state.last + 1,
            },
          },
        ],
};
