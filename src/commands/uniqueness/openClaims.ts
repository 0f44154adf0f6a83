import type { RecordedEvent } from '../../events/store/eventStore';
import { actCommandIdOf, commandIdsCovering, ownerIdsNaming, type OpenClaim } from './claimSettlement';

/**
 * The claims whose owner has not (yet) been seen recorded, folded from `$all` in order. A claim
 * leaves when it is released, or when its owner is recorded after it (kept for good: see
 * claimSettlement.ts). Acts follow their claim within a request, so the set stays as small as
 * the claims currently in flight or left behind.
 */
export class OpenClaims {
  private readonly byStream = new Map<string, OpenClaim>();
  private readonly byCommand = new Map<string, Set<string>>();
  private readonly byOwner = new Map<string, Set<string>>();
  /** How many claims were seen kept because their owner was recorded. */
  kept = 0;

  apply(event: RecordedEvent): void {
    if (event.type === 'UniqueValueClaimed') {
      const data = event.data as { owner: string; kind: string };
      this.remove(event.streamId);
      this.add({
        streamId: event.streamId,
        kind: data.kind,
        owner: data.owner,
        revision: event.revision,
        claimedAt: event.createdAt,
        actCommandId: actCommandIdOf(event.metadata.commandId, event.streamId),
      });
    } else if (event.type === 'UniqueValueReleased') {
      this.remove(event.streamId);
    } else {
      this.keepClaimsRecordedBy(event);
    }
  }

  list(): OpenClaim[] {
    return [...this.byStream.values()];
  }

  remove(streamId: string): void {
    const claim = this.byStream.get(streamId);
    if (!claim) return;
    this.byStream.delete(streamId);
    if (claim.actCommandId !== undefined) unindex(this.byCommand, claim.actCommandId, streamId);
    unindex(this.byOwner, claim.owner, streamId);
  }

  private add(claim: OpenClaim): void {
    this.byStream.set(claim.streamId, claim);
    if (claim.actCommandId !== undefined) index(this.byCommand, claim.actCommandId, claim.streamId);
    index(this.byOwner, claim.owner, claim.streamId);
  }

  private keepClaimsRecordedBy(event: RecordedEvent): void {
    const commandId = event.metadata.commandId;
    const byCommand =
      typeof commandId === 'string'
        ? commandIdsCovering(commandId).flatMap((id) => [...(this.byCommand.get(id) ?? [])])
        : [];
    const byOwner = ownerIdsNaming(event.streamId).flatMap((id) => [...(this.byOwner.get(id) ?? [])]);
    for (const streamId of new Set([...byCommand, ...byOwner])) {
      this.remove(streamId);
      this.kept++;
    }
  }
}

const index = (map: Map<string, Set<string>>, key: string, streamId: string) => {
  const set = map.get(key) ?? new Set<string>();
  set.add(streamId);
  map.set(key, set);
};

const unindex = (map: Map<string, Set<string>>, key: string, streamId: string) => {
  const set = map.get(key);
  set?.delete(streamId);
  if (set?.size === 0) map.delete(key);
};
