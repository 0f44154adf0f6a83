import type { Knex } from 'knex';
import { continueChainVerification } from '../../../commands/audit/chainVerification';
import type { EventStore } from '../../../events/store/eventStore';
import { formatPosition } from '../../../events/store/position';
import type { Job } from '../../job';

/**
 * Hash-chain verification off the request path: `hash_chain_verification` checks the events
 * appended since its last run (hourly), `hash_chain_full_verification` walks the whole log again
 * (weekly; a rewrite of an event checked before is only seen by a full walk). Both page through
 * `$all` with bounded memory and resume where a stopped run left off; `GET /audit/hash-chains`
 * answers from what they stored. `store` is the store as written (hashes cover stored bytes).
 */
export const hashChainVerificationJobs = (store: EventStore, knex: Knex): Job[] => {
  const run = (fromStart: boolean) => async (signal: AbortSignal) => {
    const status = await continueChainVerification(store, knex, { fromStart, signal });
    const where = `${status.eventsChecked} events in ${status.streamsChecked} streams through ${formatPosition(status.verifiedThrough)}`;
    return status.brokenLinks.length === 0
      ? `every chain whole: ${where}`
      : `${status.brokenLinks.length} broken stream(s), first ${status.brokenLinks[0]!.streamId}: ${where}`;
  };
  return [
    { name: 'hash_chain_verification', schedule: '41 * * * *', run: run(false), retry: { attempts: 1 } },
    { name: 'hash_chain_full_verification', schedule: '23 3 * * 0', run: run(true), retry: { attempts: 1 } },
  ];
};
