import type { UserRegistered } from '../../events/identity/userEvents';
import { streams } from '../../events/streams';
import type { CommandHandler, CommandMetadata } from '../handling/commandHandler';
import { ensureUniqueValuesFree, withUniqueClaim, type UniqueClaim } from '../uniqueness/uniqueClaims';
import { userDecider } from './userDecider';

/**
 * Reserve the email, then the phone, then record the user; a refusal anywhere gives back what
 * was reserved. Both values are checked first, so a signup refused for a taken phone number
 * writes nothing at all. Two signups racing for one email: one claim wins, the other gets 409.
 */
export const registerUser = async (
  commands: CommandHandler,
  registration: UserRegistered['data'],
  metadata: CommandMetadata,
) => {
  const owner = registration.userId;
  const emailClaim: UniqueClaim = { streamId: streams.uniqueEmail(registration.email), kind: 'email', owner };
  const phoneClaim: UniqueClaim | undefined =
    registration.phoneNumber === null
      ? undefined
      : { streamId: streams.uniquePhone(registration.phoneNumber), kind: 'phone-number', owner };
  await ensureUniqueValuesFree(commands, phoneClaim ? [emailClaim, phoneClaim] : [emailClaim], metadata);
  const register = () =>
    commands.handle(streams.user(owner), userDecider, { type: 'RegisterUser', registration }, metadata);
  return withUniqueClaim(commands, emailClaim, metadata, () =>
    phoneClaim ? withUniqueClaim(commands, phoneClaim, metadata, register) : register(),
  );
};

export const verifyPhone = (
  commands: CommandHandler,
  userId: string,
  phoneNumber: string,
  metadata: CommandMetadata,
) =>
  commands.handle(streams.user(userId), userDecider, { type: 'VerifyPhone', userId, phoneNumber }, metadata);

export const setUserActive = (
  commands: CommandHandler,
  userId: string,
  active: boolean,
  reason: string | null,
  metadata: CommandMetadata,
) =>
  commands.handle(
    streams.user(userId),
    userDecider,
    { type: active ? 'ReactivateUser' : 'DeactivateUser', userId, reason },
    metadata,
  );
