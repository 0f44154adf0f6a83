/**
 * Conversions between the client package's own generated protobuf messages and the double's
 * log. Only these classes may go on the wire: the generated serializers check `instanceof`.
 */
import { StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { ProposedEvent, StoredEvent } from './inMemoryLog';

export const streamNameOf = (identifier: StreamIdentifier | undefined): string =>
  Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');

export const streamIdentifier = (streamName: string): StreamIdentifier =>
  new StreamIdentifier().setStreamName(Uint8Array.from(Buffer.from(streamName, 'utf8')));

const UINT64 = 2n ** 64n;
/** int64 fields travel as decimal strings (jstype = JS_STRING); the structured UUID is signed. */
const toInt64 = (unsigned: bigint): string =>
  (unsigned >= 2n ** 63n ? unsigned - UINT64 : unsigned).toString();
const fromInt64 = (signed: string): bigint => (BigInt(signed) + UINT64) % UINT64;

export const uuidToString = (uuid: UUID | undefined): string => {
  if (!uuid) return '';
  const structured = uuid.getStructured();
  if (!structured) return uuid.getString();
  const hex =
    fromInt64(structured.getMostSignificantBits()).toString(16).padStart(16, '0') +
    fromInt64(structured.getLeastSignificantBits()).toString(16).padStart(16, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** The reader chooses the UUID form in its request's `uuid_option`. */
export const uuidMessage = (id: string, structured: boolean): UUID => {
  if (!structured) return new UUID().setString(id);
  const hex = id.replace(/-/g, '');
  return new UUID().setStructured(
    new UUID.Structured()
      .setMostSignificantBits(toInt64(BigInt(`0x${hex.slice(0, 16)}`)))
      .setLeastSignificantBits(toInt64(BigInt(`0x${hex.slice(16)}`))),
  );
};

export const readEventResponse = (event: StoredEvent, structuredUuids: boolean): ReadResp => {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidMessage(event.id, structuredUuids))
    .setStreamIdentifier(streamIdentifier(event.streamName))
    .setStreamRevision(event.revision.toString())
    .setPreparePosition(event.position.toString())
    .setCommitPosition(event.position.toString())
    .setData(event.data)
    .setCustomMetadata(event.customMetadata);
  recorded
    .getMetadataMap()
    .set('type', event.type)
    .set('content-type', event.contentType)
    .set('created', event.created.toString());
  return new ReadResp().setEvent(
    new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(event.position.toString()),
  );
};

/** A proposed event as both Append and BatchAppend carry it (the two messages have one shape). */
export const proposedEventOf = (message: {
  getId(): UUID | undefined;
  getMetadataMap(): { get(key: string): string | undefined };
  getData_asU8(): Uint8Array;
  getCustomMetadata_asU8(): Uint8Array;
}): ProposedEvent => {
  const metadata = message.getMetadataMap();
  return {
    id: uuidToString(message.getId()),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
};
