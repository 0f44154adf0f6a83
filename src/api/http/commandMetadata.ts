import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { v5 as uuidv5 } from 'uuid';
import type { CommandMetadata } from '../../commands/handling/commandHandler';

const ENTITY_ID_NAMESPACE = 'f0c4f7f1-59d6-4a8e-9a45-1c1b0f6a9e27';

/**
 * The command id derives from the request's claimed Idempotency-Key when it sends one (scoped to
 * the caller, the operation and the request: see idempotencyKeys.ts), otherwise a fresh id. Event
 * ids and the ids of entities the command creates derive from it.
 */
export const commandMetadata = (req: Request, commandType: string): CommandMetadata => {
  if (req.get('idempotency-key') !== undefined && req.idempotencySeed === undefined) {
    // A route outside addRoute would otherwise drop the key silently, or trust it unscoped.
    throw new Error(`${commandType}: an Idempotency-Key reached a command without being claimed`);
  }
  return {
    commandId: req.idempotencySeed ? `${commandType}:${req.idempotencySeed}` : randomUUID(),
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
