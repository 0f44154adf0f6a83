import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { v5 as uuidv5 } from 'uuid';
import type { CommandMetadata } from '../../commands/shared/commandHandler';

const ENTITY_ID_NAMESPACE = 'f0c4f7f1-59d6-4a8e-9a45-1c1b0f6a9e27';

/**
 * The command id is the client's Idempotency-Key when it sends one (scoped to the operation, so
 * one key cannot collide across operations), otherwise a fresh id. Event ids derive from it.
 */
export const commandMetadata = (req: Request, commandType: string): CommandMetadata => {
  const key = req.get('idempotency-key');
  return {
    commandId: key ? `${commandType}:${key}` : randomUUID(),
    commandType,
    correlationId: String(req.id),
    actor: req.principal ? { id: req.principal.userId, role: req.principal.role } : undefined,
  };
};

/**
 * The id of an entity a command creates. Derived from the command id, so a retry of the same
 * request (same Idempotency-Key) names the same entity and its events are recognised, not repeated.
 */
export const newEntityId = (metadata: CommandMetadata): string =>
  uuidv5(metadata.commandId, ENTITY_ID_NAMESPACE);
