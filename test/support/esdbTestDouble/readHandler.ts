/**
 * `Streams.Read`, server-streaming. One request is one of: a stream read (forwards/backwards
 * from a revision, `count` events, or StreamNotFound), a `$all` read (from a position, with an
 * optional filter), or a `$all` subscription (see subscription.ts).
 */
import { status, type ServerWritableStream } from '@grpc/grpc-js';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { From, InMemoryLog } from './inMemoryLog';
import { eventFilter } from './eventFilter';
import { subscribeToAll, type OpenSubscriptions } from './subscription';
import { readEventResponse, streamIdentifier, streamNameOf } from './wire';

const streamFrom = (stream: ReadReq.Options.StreamOptions): From => {
  switch (stream.getRevisionOptionCase()) {
    case ReadReq.Options.StreamOptions.RevisionOptionCase.REVISION:
      return BigInt(stream.getRevision());
    case ReadReq.Options.StreamOptions.RevisionOptionCase.END:
      return 'end';
    default:
      return 'start';
  }
};

export const allFrom = (all: ReadReq.Options.AllOptions): From => {
  switch (all.getAllOptionCase()) {
    case ReadReq.Options.AllOptions.AllOptionCase.POSITION:
      // This log's commit and prepare positions are the same number.
      return BigInt(all.getPosition()!.getCommitPosition());
    case ReadReq.Options.AllOptions.AllOptionCase.END:
      return 'end';
    default:
      return 'start';
  }
};

export const readHandler =
  (log: InMemoryLog, streamReadCounts: bigint[], open: OpenSubscriptions) =>
  (call: ServerWritableStream<ReadReq, ReadResp>): void => {
    const options = call.request.getOptions();
    if (!options) {
      call.emit('error', { code: status.INVALID_ARGUMENT, details: 'no options' });
      return;
    }
    const structuredUuids = options.getUuidOption()?.hasStructured() ?? false;
    const forwards = options.getReadDirection() === ReadReq.Options.ReadDirection.FORWARDS;
    const subscription = options.getCountOptionCase() === ReadReq.Options.CountOptionCase.SUBSCRIPTION;
    const count = subscription ? 0n : BigInt(options.getCount());

    const stream = options.getStream();
    if (stream) {
      if (subscription) {
        call.emit('error', { code: status.UNIMPLEMENTED, details: 'the double has no stream subscriptions' });
        return;
      }
      const name = streamNameOf(stream.getStreamIdentifier());
      streamReadCounts.push(count);
      const events = log.readStream(name, forwards, streamFrom(stream), count);
      if (events === undefined) {
        call.write(
          new ReadResp().setStreamNotFound(
            new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name)),
          ),
        );
      } else {
        for (const event of events) call.write(readEventResponse(event, structuredUuids));
      }
      call.end();
      return;
    }

    const all = options.getAll();
    if (!all) {
      call.emit('error', { code: status.INVALID_ARGUMENT, details: 'neither a stream nor $all' });
      return;
    }
    if (subscription) {
      subscribeToAll(log, open, call, allFrom(all), eventFilter(options), structuredUuids);
      return;
    }
    for (const event of log.readAll(forwards, allFrom(all), eventFilter(options), count)) {
      call.write(readEventResponse(event, structuredUuids));
    }
    call.end();
  };
