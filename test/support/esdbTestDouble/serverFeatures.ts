/**
 * `ServerFeatures.GetSupportedMethods`: the client asks once per connection which methods the
 * server has. BatchAppend is left out on purpose, so the client appends with plain `Append`.
 */
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';

export const DOUBLE_VERSION = '0.0.0-esdb-test-double';

const method = (serviceName: string, methodName: string) =>
  new SupportedMethod().setServiceName(serviceName).setMethodName(methodName);

export const getSupportedMethods = (
  _call: ServerUnaryCall<Empty, SupportedMethods>,
  callback: sendUnaryData<SupportedMethods>,
): void => {
  callback(
    null,
    new SupportedMethods()
      .setEventStoreServerVersion(DOUBLE_VERSION)
      .setMethodsList([
        method('event_store.client.streams.Streams', 'Read'),
        method('event_store.client.streams.Streams', 'Append'),
        method('event_store.client.server_features.ServerFeatures', 'GetSupportedMethods'),
      ]),
  );
};
