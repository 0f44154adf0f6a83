import type { CommandHandler, CommandMetadata } from '../shared/commandHandler';
import { uniqueClaimDecider } from './uniqueClaimDecider';

/**
 * Reserve, then act, then compensate (DESIGN.md): claim a unique value in its own stream before
 * the act that needs it; release it if the act is refused.
 */
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

/** Runs `act` holding the claim; if `act` fails in any way, the claim is given back. */
export const withUniqueClaim = async <T>(
  commands: CommandHandler,
  claim: { streamId: string; kind: string; owner: string },
  metadata: CommandMetadata,
  act: () => Promise<T>,
): Promise<T> => {
  await claimUniqueValue(commands, claim.streamId, claim.kind, claim.owner, {
    ...metadata,
    commandId: `${metadata.commandId}:claim:${claim.streamId}`,
    commandType: 'ClaimUniqueValue',
  });
  try {
    return await act();
  } catch (error) {
    await releaseUniqueValue(commands, claim.streamId, claim.kind, claim.owner, metadata);
    throw error;
  }
};
