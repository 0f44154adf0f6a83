import type { Knex } from 'knex';
import type { BillingGateways } from '../../../commands/billing/billingGateways';
import { carryOutRequestedRefund } from '../../../commands/billing/refundCommands';
import type { CommandHandler } from '../../../commands/handling/commandHandler';
import { refundsAwaitingOutcome } from '../../../projections/billing/billingQueries';
import type { Job } from '../../job';

/** A refund requested this long ago with no outcome is not a refund still on its way. */
export const DEFAULT_REFUND_TIMEOUT_MS = 60_000;
const BATCH = 200;

/**
 * `refund_reconciliation`, every minute: refunds requested more than a minute ago with no outcome
 * (a crash or an outage between the provider's answer and our record of it, or a provider that
 * did not answer) are asked about again with the same refund id — the provider's idempotency key,
 * so money goes back once — and the answer recorded: `PaymentRefunded` and the subscription's
 * change, or `RefundFailed` when the provider refuses. The read model only finds the work; the
 * payment's stream decides, and every step is a no-op once done, so a run cut short (or racing
 * the request itself) is simply picked up by the next.
 */
export const refundReconciliationJob = (deps: {
  knex: Knex;
  commands: CommandHandler;
  gateways: BillingGateways;
  timeoutMs?: number;
  clock?: () => Date;
}): Job => ({
  name: 'refund_reconciliation',
  schedule: '* * * * *',
  run: async (signal) => {
    const now = (deps.clock ?? (() => new Date()))();
    const requestedBefore = new Date(now.getTime() - (deps.timeoutMs ?? DEFAULT_REFUND_TIMEOUT_MS));
    const counts = { refunded: 0, failed: 0, unanswered: 0 };
    let lastError: unknown;
    for (const row of await refundsAwaitingOutcome(deps.knex, requestedBefore, BATCH)) {
      if (signal.aborted) break;
      try {
        const done = await carryOutRequestedRefund(
          deps.commands,
          deps.gateways,
          { paymentId: row.payment_id, refundId: row.id },
          // Derived from the refund, so a re-run's steps are recognised as the same commands.
          {
            commandId: `refund-reconciliation:${row.id}`,
            commandType: 'ReconcileRefund',
            actor: { id: 'scheduler', role: 'system' },
          },
        );
        counts[done.outcome]++;
      } catch (error) {
        // The provider still does not answer: this refund stays pending; carry on with the others.
        counts.unanswered++;
        lastError = error;
      }
    }
    const summary = `refunded ${counts.refunded}, failed ${counts.failed}, still unanswered ${counts.unanswered}`;
    // Still-unanswered refunds fail the run, so they show in the job's record (and its retries).
    if (lastError !== undefined) throw new Error(`${summary}; last error: ${String(lastError)}`);
    return summary;
  },
});
