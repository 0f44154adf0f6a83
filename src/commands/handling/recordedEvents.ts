import { deriveEventId } from '../../events/eventIds';
import type { CommandMetadata } from './commandHandler';
import type { DomainEvent } from './decider';

/** The version of the metadata shape every event carries (for auditors' tools that read it). */
export const SCHEMA_VERSION = 1;

/**
 * A decision as it is appended: each event with the metadata of the request it answers for and an
 * id derived from that request's command id and the event's place among that request's events.
 */
export const recordedEvents = <Event extends DomainEvent>(
  streamId: string,
  decision: Event[],
  command: CommandMetadata,
  now: Date,
  requestOf?: (event: Event) => CommandMetadata | undefined,
) => {
  const counts = new Map<string, number>();
  return decision.map((event) => {
    const request = requestOf?.(event) ?? command;
    const index = counts.get(request.commandId) ?? 0;
    counts.set(request.commandId, index + 1);
    return {
      id: deriveEventId(request.commandId, streamId, index),
      type: event.type,
      data: event.data,
      metadata: {
        commandId: request.commandId,
        commandType: request.commandType,
        correlationId: request.correlationId ?? request.commandId,
        causationId: request.causationId ?? request.commandId,
        actor: request.actor,
        schemaVersion: SCHEMA_VERSION,
        occurredAt: now.toISOString(),
      },
    };
  });
};
