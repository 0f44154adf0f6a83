import { v5 as uuidv5 } from 'uuid';
import type { Position } from '../../events/store/position';
import type { CommandHandler } from '../handling/commandHandler';
import { CommandRefusedError } from '../handling/commandHandler';
import { normaliseEmail } from './contactDetails';
import { registerUser } from './identityCommands';
import { hashPassword } from './passwords';

const BOOTSTRAP_NAMESPACE = '3d3f5c1e-8a7b-4f0e-b6a2-5b8e2d9c4a71';

/**
 * Creates the super_admin named by SUPER_ADMIN_EMAIL (or the CLI) if absent. Ids derive from the
 * email, so running it at every start, or from two processes at once, creates one account.
 */
export const ensureSuperAdmin = async (
  commands: CommandHandler,
  input: { email: string; password: string; name: string },
): Promise<{ outcome: 'created' | 'exists'; position?: Position }> => {
  const email = normaliseEmail(input.email);
  const userId = uuidv5(`super-admin:${email}`, BOOTSTRAP_NAMESPACE);
  try {
    const outcome = await registerUser(
      commands,
      {
        userId,
        name: input.name,
        email,
        phoneNumber: null,
        role: 'super_admin',
        passwordHash: await hashPassword(input.password),
        societyId: null,
        trainer: null,
      },
      {
        // The user id, not the email: command ids are stored in every event's metadata, in the
        // clear, and must not outlive the person's erasure.
        commandId: `bootstrap-super-admin:${userId}`,
        commandType: 'RegisterUser',
        actor: { id: 'system', role: 'system' },
      },
    );
    return { outcome: outcome.replayed ? 'exists' : 'created', position: outcome.position };
  } catch (error) {
    // 'user-exists': created by an earlier version, whose command id differed.
    if (error instanceof CommandRefusedError && ['email-taken', 'user-exists'].includes(error.refusal.type))
      return { outcome: 'exists' };
    throw error;
  }
};
