import { v5 as uuidv5 } from 'uuid';

/** Namespace for ids derived from command ids (a fixed, random UUID: never change it). */
const EVENT_ID_NAMESPACE = '8a4f1b8e-3c55-4f0e-9a3d-6d4e4c7b2f10';

/**
 * Event ids are derived, not random: the same command (same id) appending to the same stream
 * produces the same ids, so a retried request is recognised by the store instead of repeated.
 */
export const deriveEventId = (commandId: string, streamId: string, index: number): string =>
  uuidv5(`${commandId}:${streamId}:${index}`, EVENT_ID_NAMESPACE);

/** A command id derived from the event that caused it: a reactor run twice issues one command. */
export const deriveCommandId = (causationEventId: string, purpose: string): string =>
  uuidv5(`${causationEventId}:${purpose}`, EVENT_ID_NAMESPACE);
