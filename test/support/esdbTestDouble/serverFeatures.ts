/**
 * `ServerFeatures.GetSupportedMethods`: the client asks once per connection which methods the
 * server has, and appends through BatchAppend whenever it is listed (every server since 21.10),
 * so the double lists it by default. Without it (`batchAppend: false`) the client falls back
 * to plain `Append`, as against an older server.
 */
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';

export const DOUBLE_VERSION = '0.0.0-esdb-test-double';

const STREAMS = 'event_store.client.streams.Streams';

const method = (serviceName: string, methodName: string) =>
  new SupportedMethod().setServiceName(serviceName).setMethodName(methodName);

export const getSupportedMethods =
  ({ batchAppend }: { batchAppend: boolean }) =>
  (_call: ServerUnaryCall<Empty, SupportedMethods>, callback: sendUnaryData<SupportedMethods>): void => {
    callback(
      null,
      new SupportedMethods()
        .setEventStoreServerVersion(DOUBLE_VERSION)
        .setMethodsList([
          method(STREAMS, 'Read'),
          method(STREAMS, 'Append'),
          ...(batchAppend ? [method(STREAMS, 'BatchAppend')] : []),
          method('event_store.client.server_features.ServerFeatures', 'GetSupportedMethods'),
        ]),
    );
  };
