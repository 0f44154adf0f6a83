import type { UniqueClaimReconciler } from '../../../commands/uniqueness/uniqueClaimReconciler';
import type { Job } from '../../job';

/**
 * `unique_claim_reconciliation` (our own), every five minutes: uniqueness claims (emails, phone
 * numbers, names, transaction ids) whose owner was never recorded are given back once the grace
 * period has passed; claims whose owner was recorded are kept (docs/architecture.md, "Rules across
 * streams"). Each release is idempotent, so a run cut short is picked up by the next.
 */
export const uniqueClaimReconciliationJob = (reconciler: Pick<UniqueClaimReconciler, 'run'>): Job => ({
  name: 'unique_claim_reconciliation',
  schedule: '*/5 * * * *',
  run: async (signal) => {
    const { kept, released, waiting } = await reconciler.run(signal);
    return `kept ${kept} claim(s) whose owner was recorded, released ${released} whose owner never was, ${waiting} still within the grace period`;
  },
});
