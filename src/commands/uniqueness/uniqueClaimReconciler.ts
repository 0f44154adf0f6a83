import type { EventStore } from '../../events/store/eventStore';
import type { Position } from '../../events/store/position';
import type { CommandHandler } from '../handling/commandHandler';
import { DEFAULT_CLAIM_GRACE_MS, settleClaim, type OpenClaim } from './claimSettlement';
import { OpenClaims } from './openClaims';
import { releaseUniqueValue } from './uniqueClaims';
import { uniqueClaimDecider } from './uniqueClaimDecider';

const PAGE = 500;

export interface ClaimReconciliation {
  /** Claims seen kept since the last run: their owner was recorded. */
  readonly kept: number;
  readonly released: number;
  /** Claims with no owner recorded yet, still within the grace period. */
  readonly waiting: number;
}

/**
 * Settles uniqueness claims left behind by reserve → act → compensate (claimSettlement.ts). It
 * follows `$all` from where it last stopped (a new process starts from the beginning; the set it
 * keeps is only the unsettled claims), so each run reads only what was appended since. Releases
 * are idempotent (their command id names the claim), so replicas running it side by side agree.
 */
export class UniqueClaimReconciler {
  private readonly open = new OpenClaims();
  private after: Position | undefined;

  /**
   * `log` is read for claim events, command ids and stream names only: the stored form (no
   * personal data decrypted) is enough.
   */
  constructor(
    private readonly log: EventStore,
    private readonly commands: CommandHandler,
    private readonly options: { graceMs?: number; clock?: () => Date } = {},
  ) {}

  async run(signal?: AbortSignal): Promise<ClaimReconciliation> {
    const keptBefore = this.open.kept;
    await this.catchUp(signal);
    const now = (this.options.clock ?? (() => new Date()))();
    let released = 0;
    let waiting = 0;
    for (const claim of this.open.list()) {
      if (signal?.aborted) break;
      const settlement = settleClaim(
        claim,
        { ownerRecorded: false },
        now,
        this.options.graceMs ?? DEFAULT_CLAIM_GRACE_MS,
      );
      if (settlement === 'wait') waiting++;
      else if (settlement === 'keep') this.open.remove(claim.streamId);
      else if (await this.release(claim)) released++;
    }
    return { kept: this.open.kept - keptBefore, released, waiting };
  }

  private async catchUp(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const page = await this.log.readAll({ after: this.after, maxCount: PAGE });
      for (const event of page) this.open.apply(event);
      if (page.length > 0) this.after = page[page.length - 1]!.position;
      if (page.length < PAGE || signal?.aborted) return;
    }
  }

  /** Releases the claim only if it is still this very claim (nothing appended to it since). */
  private async release(claim: OpenClaim): Promise<boolean> {
    const { revision } = await this.commands.load(claim.streamId, uniqueClaimDecider);
    // Changed since: whatever was appended is after where this run read, so the next run sees it.
    if (revision === claim.revision) {
      await releaseUniqueValue(this.commands, claim.streamId, claim.kind, claim.owner, {
        commandId: `reconcile-claim:${claim.streamId}:${claim.revision}`,
        commandType: 'ReconcileUniqueClaim',
      });
    }
    // Only now: a release that failed leaves the claim open for the next run.
    this.open.remove(claim.streamId);
    return revision === claim.revision;
  }
}
