import type { UserRegistered } from '../../events/identity/userEvents';
import { streams } from '../../events/streams';
import type { CommandHandler, CommandMetadata } from '../shared/commandHandler';
import { withUniqueClaim } from '../uniqueness/uniqueClaims';
import { userDecider } from './userDecider';

/**
 * Reserve the email, then the phone, then record the user; a refusal anywhere gives back what
 * was reserved. Two signups racing for one email: one claim wins, the other gets 409.
 */
export const registerUser = (
  commands: CommandHandler,
  registration: UserRegistered['data'],
  metadata: CommandMetadata,
) => {
  const register = () =>
    commands.handle(
      streams.user(registration.userId),
      userDecider,
      { type: 'RegisterUser', registration },
      metadata,
    );
  const withPhone = () =>
    registration.phoneNumber === null
      ? register()
      : withUniqueClaim(
          commands,
          {
            streamId: streams.uniquePhone(registration.phoneNumber),
            kind: 'phone-number',
            owner: registration.userId,
          },
          metadata,
          register,
        );
  return withUniqueClaim(
    commands,
    { streamId: streams.uniqueEmail(registration.email), kind: 'email', owner: registration.userId },
    metadata,
    withPhone,
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
