import {
  START as ESDB_START,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import type { AllSubscription, RecordedEvent } from '../eventStore';
import { EventStoreUnavailableError } from '../errors';
import { comparePositions, type Position } from '../position';
import { translate } from './esdbErrors';
import { isStart, isSystemEvent, positionOf, toEsdbPosition, toRecorded } from './recordedEvent';

/**
 * One native `$all` subscription (system events left out), strictly after `after`; it is in
 * `subscriptions` until closed, so the store's close() can end it.
 */
export const subscribeToAllOnce = (
  client: EventStoreDBClient,
  after: Position | undefined,
  subscriptions: Set<AllSubscription>,
): AllSubscription => {
  const from = after && !isStart(after) ? after : undefined;
  const subscription = client.subscribeToAll({
    fromPosition: from ? toEsdbPosition(from) : ESDB_START,
    filter: excludeSystemEvents(),
  });
  // The client emits server errors as 'error' events and then ends the stream normally; keep
  // the error so the iteration can throw it instead of looking like a clean close.
  let failure: unknown;
  subscription.on('error', (error: unknown) => {
    failure ??= error;
  });
  let closed = false;

  async function* events(): AsyncGenerator<RecordedEvent> {
    try {
      for await (const resolved of subscription as AsyncIterable<AllStreamResolvedEvent>) {
        if (closed) return;
        const event = resolved.event;
        if (!event || isSystemEvent(event)) continue;
        // Subscriptions start after the position already; this guards the port's promise.
        if (from && comparePositions(positionOf(event), from) <= 0) continue;
        yield toRecorded(event);
      }
      if (closed) return;
      // Only close() ends a subscription; the server ending it is a failure to report.
      throw failure ?? new EventStoreUnavailableError('event store (esdb) ended the subscription');
    } catch (error) {
      if (closed) return;
      throw translate(error);
    } finally {
      await handle.close();
    }
  }

  const iterator = events();
  const handle: AllSubscription = {
    [Symbol.asyncIterator]: () => iterator,
    close: async () => {
      if (closed) return;
      closed = true;
      subscriptions.delete(handle);
      await subscription.unsubscribe().catch(() => undefined);
      subscription.destroy();
    },
  };
  subscriptions.add(handle);
  return handle;
};
