/**
 * A `$all` subscription on a Read call: the confirmation first, then every matching event after
 * the start point (catch-up), CaughtUp, then each matching event as it is appended, until the
 * client cancels. Catch-up and the switch to live happen in one synchronous step, so no append
 * can fall between them. The server's periodic filter checkpoints are not sent.
 *
 * `OpenSubscriptions.stall()` reproduces a known failure of the Node client against real servers:
 * a subscription that stays open, reports no error and receives nothing more.
 */
import { randomUUID } from 'node:crypto';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { ReadResp, type ReadReq } from '@eventstore/db-client/generated/streams_pb';
import type { From, InMemoryLog, StoredEvent } from './inMemoryLog';
import { readEventResponse } from './wire';

export class OpenSubscriptions {
  private readonly open = new Set<{ stall(): void }>();

  add(subscription: { stall(): void }): () => void {
    this.open.add(subscription);
    return () => this.open.delete(subscription);
  }

  /** Every subscription open now sends nothing more, silently; later ones are served. */
  stall(): number {
    for (const subscription of this.open) subscription.stall();
    return this.open.size;
  }
}

export const subscribeToAll = (
  log: InMemoryLog,
  open: OpenSubscriptions,
  call: ServerWritableStream<ReadReq, ReadResp>,
  from: From,
  predicate: (event: StoredEvent) => boolean,
  structuredUuids: boolean,
): void => {
  let stalled = false;
  const send = (event: StoredEvent) => {
    if (!stalled && predicate(event)) call.write(readEventResponse(event, structuredUuids));
  };
  call.write(
    new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())),
  );
  // A subscription starts after its position (unlike a read, which includes it).
  const catchUp = from === 'end' ? [] : log.after(from === 'start' ? undefined : from);
  for (const event of catchUp) send(event);
  call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
  const stopListening = log.onAppended(send);
  const forget = open.add({
    stall: () => {
      stalled = true;
    },
  });
  const unsubscribe = () => {
    stopListening();
    forget();
  };
  call.on('cancelled', unsubscribe);
  call.on('close', unsubscribe);
  call.on('error', unsubscribe);
};
