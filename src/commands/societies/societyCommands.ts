import type { SocietyDetails } from '../../events/societies/societyEvents';
import { streams } from '../../events/streams';
import type { CommandHandler, CommandMetadata, CommandOutcome } from '../handling/commandHandler';
import { releaseUniqueValue, withUniqueClaim } from '../uniqueness/uniqueClaims';
import { societyDecider } from './societyDecider';
import type { SocietyEvent } from '../../events/societies/societyEvents';

/** Names compare case- and spacing-insensitively: "Green Park " and "green  park" are one society. */
export const normaliseSocietyName = (name: string): string =>
  name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

const NAME_CLAIM = 'society-name';

const nameClaim = (name: string, societyId: string) => ({
  streamId: streams.uniqueSocietyName(normaliseSocietyName(name)),
  kind: NAME_CLAIM,
  owner: societyId,
});

export const registerSociety = (
  commands: CommandHandler,
  input: { societyId: string; details: SocietyDetails; registeredBy: string | null },
  metadata: CommandMetadata,
): Promise<CommandOutcome<SocietyEvent>> =>
  withUniqueClaim(commands, nameClaim(input.details.name, input.societyId), metadata, () =>
    commands.handle(
      streams.society(input.societyId),
      societyDecider,
      { type: 'RegisterSociety', ...input },
      metadata,
    ),
  );

export const grantSocietyAdmin = (
  commands: CommandHandler,
  input: { societyId: string; userId: string; grantedBy: string | null },
  metadata: CommandMetadata,
) =>
  commands.handle(
    streams.society(input.societyId),
    societyDecider,
    { type: 'GrantSocietyAdmin', ...input },
    metadata,
  );

/**
 * A rename claims the new name first and lets go of the old one only after the change is
 * recorded, so two societies can never hold one name, even for a moment.
 */
export const changeSocietyDetails = async (
  commands: CommandHandler,
  input: { societyId: string; changes: Partial<SocietyDetails>; expectedRevision?: number },
  metadata: CommandMetadata,
): Promise<CommandOutcome<SocietyEvent>> => {
  const change = () =>
    commands.handle(
      streams.society(input.societyId),
      societyDecider,
      { type: 'ChangeSocietyDetails', societyId: input.societyId, changes: input.changes },
      metadata,
      { expectedRevision: input.expectedRevision },
    );
  const newName = input.changes.name;
  if (newName === undefined) return change();

  const { state } = await commands.load(streams.society(input.societyId), societyDecider);
  const oldName = state.registered ? state.details.name : undefined;
  if (oldName === undefined || normaliseSocietyName(oldName) === normaliseSocietyName(newName))
    return change();

  const outcome = await withUniqueClaim(commands, nameClaim(newName, input.societyId), metadata, change);
  const old = nameClaim(oldName, input.societyId);
  await releaseUniqueValue(commands, old.streamId, old.kind, old.owner, metadata);
  return outcome;
};
