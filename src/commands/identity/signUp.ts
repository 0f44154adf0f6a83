import type { Position } from '../../events/store/position';
import type { UserRegistered } from '../../events/identity/userEvents';
import { applyForMembership } from '../members/memberCommands';
import { createTrainerProfile } from '../trainers/trainerCommands';
import { CommandRefusedError, type CommandHandler, type CommandMetadata } from '../handling/commandHandler';
import { registerUser } from './identityCommands';

/**
 * A signup: the account, and what the signup also says. A member naming a society applies to it
 * (pending until an admin decides); a trainer naming what they teach opens their trainer profile.
 * Each step is its own command, acted as the new user; the answer is the last step's position,
 * the one the read side must include before the whole signup shows.
 */
export const signUp = async (
  commands: CommandHandler,
  registration: UserRegistered['data'],
  metadata: CommandMetadata,
): Promise<{ position: Position | undefined }> => {
  const { userId, name, email, phoneNumber, role, societyId, trainer } = registration;
  const outcome = await registerUser(commands, registration, { ...metadata, actor: { id: userId, role } });
  const applied =
    societyId && phoneNumber !== null
      ? await applyForMembership(
          commands,
          { memberId: userId, userId, name, email, phoneNumber, societyId },
          { ...metadata, commandType: 'ApplyForMembership', actor: { id: userId, role: 'member' } },
        ).catch((error: unknown) => {
          // Already onboarded by an admin under this email or phone: the account stands, the
          // existing member record is theirs to link (not done yet; see README).
          if (error instanceof CommandRefusedError && error.refusal.status === 409) return undefined;
          throw error;
        })
      : undefined;
  // Without a specialization there is nothing to match classes on, so an admin adds the profile
  // later (POST /trainers takes it from the body or from this account).
  const profile =
    trainer && trainer.specialization.length > 0
      ? await createTrainerProfile(
          commands,
          { trainerId: userId, createdBy: null, details: { name, email, phoneNumber, ...trainer } },
          { ...metadata, commandType: 'CreateTrainerProfile', actor: { id: userId, role: 'trainer' } },
        )
      : undefined;
  return { position: applied?.position ?? profile?.position ?? outcome.position };
};
