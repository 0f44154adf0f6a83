import { v5 as uuidv5 } from 'uuid';
import type { Position } from '../../events/store/position';
import type { CommandHandler, CommandMetadata } from '../handling/commandHandler';
import { normaliseEmail } from '../identity/contactDetails';
import { registerUser } from '../identity/identityCommands';
import { hashPassword } from '../identity/passwords';

const AUDITOR_NAMESPACE = '6f1d2c9a-0b7e-4c55-9a3e-7d2f1e8b4c60';

/**
 * An auditor account: signs in like anyone, reads history and the audit trail, changes nothing.
 * Never self-service: a super_admin (API) or an operator (CLI) creates it. The id derives from
 * the email, so creating the same auditor twice creates one account.
 */
export const createAuditor = async (
  commands: CommandHandler,
  input: { name: string; email: string; password: string },
  metadata: Omit<CommandMetadata, 'commandId' | 'commandType'>,
): Promise<{ userId: string; email: string; replayed: boolean; position?: Position }> => {
  const email = normaliseEmail(input.email);
  const userId = uuidv5(`auditor:${email}`, AUDITOR_NAMESPACE);
  const outcome = await registerUser(
    commands,
    {
      userId,
      name: input.name,
      email,
      phoneNumber: null,
      role: 'auditor',
      passwordHash: await hashPassword(input.password),
      societyId: null,
      trainer: null,
    },
    { ...metadata, commandId: `create-auditor:${userId}`, commandType: 'RegisterUser' },
  );
  return { userId, email, replayed: outcome.replayed === true, position: outcome.position };
};
