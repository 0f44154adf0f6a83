/**
 * `Streams.BatchAppend`, bidirectional: the client keeps one call open per connection and sends
 * each append as requests sharing a correlation id: the first carries the options (stream,
 * expected position, deadline), every one some proposed messages, the last `is_final`. The
 * server answers each append once, at its final request, with the same correlation id: success
 * (current revision and `$all` position) or an error status whose details hold the
 * WrongExpectedVersion. Appends on one call are independent: one refused leaves the call open.
 * The deadline in the options is not enforced: the double answers at once.
 */
import { status, type ServerDuplexStream } from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { AllStreamPosition, Empty, WrongExpectedVersion } from '@eventstore/db-client/generated/shared_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { AppendOutcome, ExpectedState, InMemoryLog, ProposedEvent } from './inMemoryLog';
import type { AppendCounts } from './appendCounts';
import { proposedEventOf, streamNameOf, uuidToString } from './wire';

const WRONG_EXPECTED_VERSION_TYPE = 'event_store.client.WrongExpectedVersion';

/** One append being gathered from its requests. */
interface PendingBatch {
  options?: BatchAppendReq.Options;
  readonly proposed: ProposedEvent[];
}

const expectedStateOf = (options: BatchAppendReq.Options): ExpectedState => {
  switch (options.getExpectedStreamPositionCase()) {
    case BatchAppendReq.Options.ExpectedStreamPositionCase.STREAM_POSITION:
      return { kind: 'revision', revision: BigInt(options.getStreamPosition()) };
    case BatchAppendReq.Options.ExpectedStreamPositionCase.NO_STREAM:
      return { kind: 'no_stream' };
    case BatchAppendReq.Options.ExpectedStreamPositionCase.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    default:
      return { kind: 'any' };
  }
};

/** The answer echoes the request's stream and expected position, as the server does. */
const answerFor = (request: BatchAppendReq, options: BatchAppendReq.Options): BatchAppendResp => {
  const answer = new BatchAppendResp()
    .setCorrelationId(request.getCorrelationId())
    .setStreamIdentifier(options.getStreamIdentifier());
  switch (options.getExpectedStreamPositionCase()) {
    case BatchAppendReq.Options.ExpectedStreamPositionCase.STREAM_POSITION:
      return answer.setStreamPosition(options.getStreamPosition());
    case BatchAppendReq.Options.ExpectedStreamPositionCase.NO_STREAM:
      return answer.setNoStream(new Empty());
    case BatchAppendReq.Options.ExpectedStreamPositionCase.STREAM_EXISTS:
      return answer.setStreamExists(new Empty());
    default:
      return answer.setAny(new Empty());
  }
};

const wrongExpectedVersion = (expected: ExpectedState, current: bigint | undefined): Status => {
  const details = new WrongExpectedVersion();
  if (current === undefined) details.setCurrentNoStream(new Empty());
  else details.setCurrentStreamRevision(current.toString());
  switch (expected.kind) {
    case 'revision':
      details.setExpectedStreamPosition(expected.revision.toString());
      break;
    case 'no_stream':
      details.setExpectedNoStream(new Empty());
      break;
    case 'stream_exists':
      details.setExpectedStreamExists(new Empty());
      break;
    case 'any':
      details.setExpectedAny(new Empty());
      break;
  }
  const packed = new Any();
  packed.pack(details.serializeBinary(), WRONG_EXPECTED_VERSION_TYPE);
  // The client reads only the details' type; the code is what a gRPC status would say.
  return new Status()
    .setCode(Code.FAILED_PRECONDITION)
    .setMessage('wrong expected version')
    .setDetails(packed);
};

const respond = (answer: BatchAppendResp, outcome: AppendOutcome, expected: ExpectedState) => {
  switch (outcome.kind) {
    case 'written':
      return answer.setSuccess(
        new BatchAppendResp.Success()
          .setCurrentRevision(outcome.lastRevision.toString())
          .setPosition(
            new AllStreamPosition()
              .setCommitPosition(outcome.position.toString())
              .setPreparePosition(outcome.position.toString()),
          ),
      );
    case 'idempotent':
      // The original revision, nothing written; no position, as on the double's plain Append.
      return answer.setSuccess(
        new BatchAppendResp.Success()
          .setCurrentRevision(outcome.lastRevision.toString())
          .setNoPosition(new Empty()),
      );
    case 'wrong_expected_version':
      return answer.setError(wrongExpectedVersion(expected, outcome.currentRevision));
  }
};

export const batchAppendHandler =
  (log: InMemoryLog, counts: AppendCounts) =>
  (call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void => {
    const pending = new Map<string, PendingBatch>();
    let failed = false;
    const fail = (details: string) => {
      failed = true;
      call.emit('error', { code: status.INVALID_ARGUMENT, details });
    };

    call.on('data', (request: BatchAppendReq) => {
      if (failed) return;
      const correlationId = uuidToString(request.getCorrelationId());
      if (!correlationId) return fail('a request without a correlation id');
      const batch = pending.get(correlationId) ?? { proposed: [] };
      pending.set(correlationId, batch);
      const options = request.getOptions();
      if (options) {
        if (batch.options) return fail(`options sent twice for ${correlationId}`);
        batch.options = options;
      }
      if (!batch.options) return fail(`no options before the messages of ${correlationId}`);
      batch.proposed.push(...request.getProposedMessagesList().map(proposedEventOf));
      if (!request.getIsFinal()) return;
      // Written only now: an append whose final request never comes writes nothing.
      pending.delete(correlationId);
      const expected = expectedStateOf(batch.options);
      const stream = streamNameOf(batch.options.getStreamIdentifier());
      const outcome = log.append(stream, expected, batch.proposed);
      counts.batchAppend++;
      call.write(respond(answerFor(request, batch.options), outcome, expected));
    });
    call.on('end', () => {
      if (!failed) call.end();
    });
    call.on('error', () => undefined);
  };
