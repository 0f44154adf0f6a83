/**
 * `Streams.Append`, client-streaming: the first message carries the options (stream and
 * expected revision), each following one a proposed event; one answer when the client ends.
 */
import { status, type sendUnaryData, type ServerReadableStream } from '@grpc/grpc-js';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { AppendReq, AppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { AppendOutcome, ExpectedState, InMemoryLog, ProposedEvent } from './inMemoryLog';
import { proposedEventOf, streamNameOf } from './wire';
import type { AppendCounts } from './appendCounts';

const expectedStateOf = (options: AppendReq.Options): ExpectedState => {
  switch (options.getExpectedStreamRevisionCase()) {
    case AppendReq.Options.ExpectedStreamRevisionCase.REVISION:
      return { kind: 'revision', revision: BigInt(options.getRevision()) };
    case AppendReq.Options.ExpectedStreamRevisionCase.NO_STREAM:
      return { kind: 'no_stream' };
    case AppendReq.Options.ExpectedStreamRevisionCase.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    default:
      return { kind: 'any' };
  }
};

const wrongExpectedVersion = (
  expected: ExpectedState,
  current: bigint | undefined,
): AppendResp.WrongExpectedVersion => {
  const answer = new AppendResp.WrongExpectedVersion();
  // The server fills both the current fields and the 20.6.0 ones older clients read.
  if (current === undefined) {
    answer.setCurrentNoStream(new Empty()).setNoStream2060(new Empty());
  } else {
    answer.setCurrentRevision(current.toString()).setCurrentRevision2060(Number(current));
  }
  switch (expected.kind) {
    case 'revision':
      answer
        .setExpectedRevision(expected.revision.toString())
        .setExpectedRevision2060(Number(expected.revision));
      break;
    case 'no_stream':
      answer.setExpectedNoStream(new Empty());
      break;
    case 'stream_exists':
      answer.setExpectedStreamExists(new Empty()).setStreamExists2060(new Empty());
      break;
    case 'any':
      answer.setExpectedAny(new Empty()).setAny2060(new Empty());
      break;
  }
  return answer;
};

const responseOf = (outcome: AppendOutcome, expected: ExpectedState): AppendResp => {
  switch (outcome.kind) {
    case 'written':
      return new AppendResp().setSuccess(
        new AppendResp.Success()
          .setCurrentRevision(outcome.lastRevision.toString())
          .setPosition(
            new AppendResp.Position()
              .setCommitPosition(outcome.position.toString())
              .setPreparePosition(outcome.position.toString()),
          ),
      );
    case 'idempotent':
      // Servers answer an idempotent write with the revision but (depending on the version) no
      // position; this double takes that side so clients must cope with it.
      return new AppendResp().setSuccess(
        new AppendResp.Success()
          .setCurrentRevision(outcome.lastRevision.toString())
          .setNoPosition(new Empty()),
      );
    case 'wrong_expected_version':
      return new AppendResp().setWrongExpectedVersion(
        wrongExpectedVersion(expected, outcome.currentRevision),
      );
  }
};

export const appendHandler =
  (log: InMemoryLog, counts: AppendCounts) =>
  (call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>): void => {
    let options: AppendReq.Options | undefined;
    const proposed: ProposedEvent[] = [];
    let failed = false;
    const fail = (details: string) => {
      if (failed) return;
      failed = true;
      callback({ code: status.INVALID_ARGUMENT, details });
    };

    call.on('data', (request: AppendReq) => {
      const requestOptions = request.getOptions();
      const message = request.getProposedMessage();
      if (requestOptions) {
        if (options) fail('options sent twice');
        options = requestOptions;
      } else if (message) {
        if (!options) fail('a proposed message came before the options');
        proposed.push(proposedEventOf(message));
      }
    });
    call.on('end', () => {
      if (failed) return;
      if (!options) return fail('no options');
      const expected = expectedStateOf(options);
      const outcome = log.append(streamNameOf(options.getStreamIdentifier()), expected, proposed);
      counts.append++;
      callback(null, responseOf(outcome, expected));
    });
    // A client that goes away mid-append has written nothing: the log is only touched on 'end'.
    call.on('error', () => undefined);
  };
