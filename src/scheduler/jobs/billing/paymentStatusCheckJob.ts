import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { gatewayNamed, type BillingGateways } from '../../../commands/billing/billingGateways';
import { paymentDecider } from '../../../commands/billing/paymentDecider';
import { finishCompletedPayment, settlePayment } from '../../../commands/billing/paymentSettlement';
import type { CommandHandler, CommandMetadata } from '../../../commands/handling/commandHandler';
import { streams } from '../../../events/streams';
import {
  completedPaymentsWithoutInvoice,
  pendingPaymentsOlderThan,
} from '../../../projections/billing/billingQueries';
import type { Job } from '../../job';

export interface PaymentStatusCheckOptions {
  /** A payment still pending this long after it was made is asked about. */
  readonly pendingAfterMs: number;
  /** The wait before the second check; it doubles after each "still pending", up to `maxBackoffMs`. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  readonly batchSize: number;
}

const DEFAULTS: PaymentStatusCheckOptions = {
  pendingAfterMs: 10 * 60_000,
  backoffMs: 5 * 60_000,
  maxBackoffMs: 6 * 3600_000,
  batchSize: 200,
};

/** When a payment checked `checks` times (last at `lastCheckedAt`) is due to be asked again. */
export const nextCheckDue = (
  checks: number,
  lastCheckedAt: Date | null,
  options: PaymentStatusCheckOptions,
): number =>
  lastCheckedAt === null
    ? 0
    : lastCheckedAt.getTime() + Math.min(options.backoffMs * 2 ** (checks - 1), options.maxBackoffMs);

const systemMetadata = (commandType: string): CommandMetadata => ({
  commandId: randomUUID(),
  commandType,
  actor: { id: 'scheduler', role: 'system' },
});

/**
 * `payment_status_check`: pending payments older than a threshold are asked about through the
 * gateway that took them and settled by its answer; "still pending" is recorded, and the next
 * question waits twice as long. It also finishes completed payments whose settlement a crash
 * interrupted (no invoice yet). The read model only finds the work; each payment's stream decides.
 */
export const paymentStatusCheckJob = (
  deps: { knex: Knex; commands: CommandHandler; gateways: BillingGateways; clock?: () => Date },
  overrides: Partial<PaymentStatusCheckOptions> = {},
): Job => ({
  name: 'payment_status_check',
  schedule: '*/5 * * * *',
  run: async (signal) => {
    const options = { ...DEFAULTS, ...overrides };
    const now = (deps.clock ?? (() => new Date()))();
    let settled = 0;
    let stillPending = 0;
    let notDue = 0;
    const pending = await pendingPaymentsOlderThan(
      deps.knex,
      new Date(now.getTime() - options.pendingAfterMs),
      options.batchSize,
    );
    for (const row of pending) {
      if (signal.aborted) break;
      const { state } = await deps.commands.load(streams.payment(row.id), paymentDecider);
      if (!state.exists || state.status !== 'pending') continue;
      const lastChecked = state.lastCheckedAt ? new Date(state.lastCheckedAt) : null;
      if (now.getTime() < nextCheckDue(state.statusChecks, lastChecked, options)) {
        notDue++;
        continue;
      }
      const gateway = gatewayNamed(deps.gateways, state.details.gateway);
      if (!gateway) continue;
      const outcome = await gateway.lookup({
        paymentId: row.id,
        transactionId: state.details.transactionId,
        amount: state.details.amount,
        currency: state.details.currency,
        memberId: state.details.memberId,
      });
      if (outcome.status === 'pending') {
        await deps.commands.handle(
          streams.payment(row.id),
          paymentDecider,
          { type: 'RecordStatusCheck', paymentId: row.id },
          systemMetadata('RecordStatusCheck'),
        );
        stillPending++;
      } else {
        await settlePayment(deps.commands, row.id, outcome, systemMetadata('SettlePayment'));
        settled++;
      }
    }
    let finished = 0;
    for (const row of await completedPaymentsWithoutInvoice(deps.knex, options.batchSize)) {
      if (signal.aborted) break;
      await finishCompletedPayment(deps.commands, row.id, systemMetadata('FinishCompletedPayment'));
      finished++;
    }
    return `${settled} settled, ${stillPending} still pending, ${notDue} not due yet, ${finished} completions finished`;
  },
});
