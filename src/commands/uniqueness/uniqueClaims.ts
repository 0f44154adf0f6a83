import type { CommandHandler, CommandMetadata } from '../handling/commandHandler';
import { reserveThenAct } from '../handling/saga';
import { CLAIMED_AGAIN } from './claimSettlement';
import { uniqueClaimDecider } from './uniqueClaimDecider';

export interface UniqueClaim {
  readonly streamId: string;
  readonly kind: string;
  readonly owner: string;
}

const claimMetadata = (metadata: CommandMetadata, streamId: string): CommandMetadata => ({
  ...metadata,
  commandId: `${metadata.commandId}:claim:${streamId}`,
  commandType: 'ClaimUniqueValue',
});

export const claimUniqueValue = (
  commands: CommandHandler,
  streamId: string,
  kind: string,
  owner: string,
  metadata: CommandMetadata,
) => commands.handle(streamId, uniqueClaimDecider, { type: 'ClaimUniqueValue', owner, kind }, metadata);

export const releaseUniqueValue = (
  commands: CommandHandler,
  streamId: string,
  kind: string,
  owner: string,
  metadata: CommandMetadata,
) =>
  commands.handle(
    streamId,
    uniqueClaimDecider,
    { type: 'ReleaseUniqueValue', owner, kind },
    {
      ...metadata,
      commandId: `${metadata.commandId}:release:${streamId}`,
      commandType: 'ReleaseUniqueValue',
    },
  );

/** Refuses, writing nothing, when any of the values is already someone else's. */
export const ensureUniqueValuesFree = async (
  commands: CommandHandler,
  claims: readonly UniqueClaim[],
  metadata: CommandMetadata,
): Promise<void> => {
  await Promise.all(
    claims.map((c) =>
      commands.check(
        c.streamId,
        uniqueClaimDecider,
        { type: 'ClaimUniqueValue', owner: c.owner, kind: c.kind },
        claimMetadata(metadata, c.streamId),
      ),
    ),
  );
};

/**
 * Claims the value for its owner. A command already applied to the claim stream replays its first
 * outcome and appends nothing, but the claim may have been given back since (compensated, or
 * released by the reconciler because the act never came): a retry must not act on a value it no
 * longer holds, so it claims again, under a command id naming the revision it follows (retries
 * racing each other still append once). Someone else's claim meanwhile refuses it, 409.
 */
const reserveClaim = async (commands: CommandHandler, claim: UniqueClaim, metadata: CommandMetadata) => {
  const first = await claimUniqueValue(
    commands,
    claim.streamId,
    claim.kind,
    claim.owner,
    claimMetadata(metadata, claim.streamId),
  );
  if (!first.replayed) return first;
  const { state, revision } = await commands.load(claim.streamId, uniqueClaimDecider);
  if (state.owner === claim.owner) return first;
  return claimUniqueValue(commands, claim.streamId, claim.kind, claim.owner, {
    ...claimMetadata(metadata, claim.streamId),
    commandId: `${claimMetadata(metadata, claim.streamId).commandId}${CLAIMED_AGAIN}${revision}`,
  });
};

/**
 * Runs `act` holding the claim (reserve → act → compensate, see saga.ts). The claim is given back
 * only when `act` certainly wrote nothing; after a lost connection it stays, because the act may
 * have committed and a second owner must not take the value meanwhile.
 */
export const withUniqueClaim = <T>(
  commands: CommandHandler,
  claim: UniqueClaim,
  metadata: CommandMetadata,
  act: () => Promise<T>,
): Promise<T> =>
  reserveThenAct({
    reserve: () => reserveClaim(commands, claim, metadata),
    act,
    compensate: () => releaseUniqueValue(commands, claim.streamId, claim.kind, claim.owner, metadata),
  });
