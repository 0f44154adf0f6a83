/**
 * An in-process stand-in for a single EventStoreDB node: a gRPC server on 127.0.0.1 (insecure)
 * serving the client package's own generated service definitions, over an in-memory log. It
 * implements what the esdb adapter uses (Streams.Read, Streams.Append, Streams.BatchAppend,
 * ServerFeatures); any other method answers UNIMPLEMENTED.
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { randomUUID } from 'node:crypto';
import { InMemoryLog } from './inMemoryLog';
import { appendHandler } from './appendHandler';
import { batchAppendHandler } from './batchAppendHandler';
import { readHandler } from './readHandler';
import { OpenSubscriptions } from './subscription';
import { getSupportedMethods } from './serverFeatures';
import { noAppendsYet, type AppendCounts } from './appendCounts';

export interface EsdbTestDouble {
  /** `esdb://127.0.0.1:<port>?tls=false` */
  readonly connectionString: string;
  /** Appends answered so far, per gRPC method. */
  readonly appendCounts: Readonly<AppendCounts>;
  /** The `count` each stream read asked for, in order: how much one read may bring back. */
  readonly streamReadCounts: readonly bigint[];
  /**
   * Every `$all` subscription open now stays open but receives nothing more, without an error,
   * while appends go on (the Node client's silent subscription). Returns how many were stalled.
   */
  stallSubscriptions(): number;
  stop(): Promise<void>;
}

export interface EsdbTestDoubleOptions {
  /** Advertise BatchAppend in ServerFeatures, as every server since 21.10 does. Default true. */
  readonly batchAppend?: boolean;
}

export const startEsdbTestDouble = async ({
  batchAppend = true,
}: EsdbTestDoubleOptions = {}): Promise<EsdbTestDouble> => {
  const log = new InMemoryLog();
  // A real node's `$all` starts with its own records; so does this one, so readers must skip them.
  log.append('$epoch-information', { kind: 'no_stream' }, [
    {
      id: randomUUID(),
      type: '$epoch-information',
      contentType: 'application/json',
      data: Buffer.from(JSON.stringify({ epochNumber: 0 })),
      customMetadata: new Uint8Array(),
    },
  ]);

  const appendCounts = noAppendsYet();
  const streamReadCounts: bigint[] = [];
  const openSubscriptions = new OpenSubscriptions();
  const server = new Server();
  server.addService(StreamsService, {
    read: readHandler(log, streamReadCounts, openSubscriptions),
    append: appendHandler(log, appendCounts),
    batchAppend: batchAppendHandler(log, appendCounts),
  });
  server.addService(ServerFeaturesService, { getSupportedMethods: getSupportedMethods({ batchAppend }) });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );

  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    appendCounts,
    streamReadCounts,
    stallSubscriptions: () => openSubscriptions.stall(),
    // Open subscriptions never end by themselves; cancelling them is what stopping a node does.
    stop: async () => server.forceShutdown(),
  };
};
