import type { CommandHandler, CommandMetadata } from '../shared/commandHandler';
import { reserveThenAct } from '../shared/saga';
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
    reserve: () =>
      claimUniqueValue(
        commands,
        claim.streamId,
        claim.kind,
        claim.owner,
        claimMetadata(metadata, claim.streamId),
      ),
    act,
    compensate: () => releaseUniqueValue(commands, claim.streamId, claim.kind, claim.owner, metadata),
  });
