/**
 * A read's server-side filter (`ReadReq.Options.FilterOptions`): on the event type or the stream
 * name, by prefixes or by a regular expression matched anywhere in the value (as .NET's
 * Regex.IsMatch does). `excludeSystemEvents()` arrives here as event type `^[^$].*`.
 */
import type { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import type { StoredEvent } from './inMemoryLog';

type Expression = ReadReq.Options.FilterOptions.Expression;

const matches = (expression: Expression, value: string): boolean => {
  const prefixes = expression.getPrefixList();
  if (prefixes.length > 0) return prefixes.some((p) => value.startsWith(p));
  const regex = expression.getRegex();
  return regex === '' || new RegExp(regex).test(value);
};

export const eventFilter = (options: ReadReq.Options): ((event: StoredEvent) => boolean) => {
  const filter = options.getFilter();
  const byType = filter?.getEventType();
  if (byType) return (e) => matches(byType, e.type);
  const byStream = filter?.getStreamIdentifier();
  if (byStream) return (e) => matches(byStream, e.streamName);
  return () => true;
};
