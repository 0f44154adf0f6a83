import type { ExpectedRevision } from '../eventStore';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../errors';
import type { BatchAnswers } from '../microBatcher';
import { APPEND_TO_STREAM_GROUPS } from './sql/appendToStream';
import type { StoreQuery } from './eventRow';
import { appendMany, findRetriedAppend } from './appendStatements';
import type { AppendRow, PendingAppend } from './pendingAppend';

/** Appends that are written together or not at all (one element: a plain append). */
export type AppendGroup = readonly PendingAppend[];

/** The SQLSTATE append_to_stream_groups raises when a stream of a group is not as expected. */
const GROUP_CONFLICT = 'ARC01';

const documentOf = (a: PendingAppend) =>
  // data and metadata are JSON text already: spliced in, not parsed and written again.
  `{"stream":${JSON.stringify(a.streamId)},"expected":${JSON.stringify(a.expected)},"ids":${JSON.stringify(a.ids)},"types":${JSON.stringify(a.types)},"data":[${a.data.join(',')}],"metadata":[${a.metadata.join(',')}],"digests":${JSON.stringify(a.digests)}}`;

const expectedOf = (a: PendingAppend): ExpectedRevision =>
  /^\d+$/.test(a.expected) ? Number(a.expected) : (a.expected as ExpectedRevision);

/** A group's refusal as the port names it: the stream that was not as expected, and where it stood. */
const groupConflict = (group: AppendGroup, error: unknown): unknown => {
  const e = error as { code?: string; detail?: string };
  if (e.code !== GROUP_CONFLICT || !e.detail) return error;
  const { stream, actual } = JSON.parse(e.detail) as { stream: string; actual: string | number | null };
  const append = group.find((a) => a.streamId === stream);
  return new WrongExpectedRevisionError(
    stream,
    append ? expectedOf(append) : 'any',
    actual === null ? undefined : Number(actual),
  );
};

const runGroups = async (query: StoreQuery, groups: readonly AppendGroup[]): Promise<AppendRow[][]> => {
  const rows = await query<AppendRow & { grp: string; ord: string }>(APPEND_TO_STREAM_GROUPS, [
    `[${groups.map((g) => `[${g.map(documentOf).join(',')}]`).join(',')}]`,
  ]);
  const answers = groups.map((g) => new Array<AppendRow>(g.length));
  for (const row of rows) answers[Number(row.grp) - 1]![Number(row.ord) - 1] = row;
  return answers;
};

/**
 * One group on its own. A retry of a group that was written (the same event ids) trips the event
 * id's unique index when a stream was appended with 'any': answered with the original outcome if
 * every append of the group finds its events, in order.
 */
export const appendGroupOnce = async (query: StoreQuery, group: AppendGroup): Promise<AppendRow[]> => {
  try {
    return (await runGroups(query, [group]))[0]!;
  } catch (error) {
    if ((error as { constraint?: string }).constraint !== 'events_event_id_unique')
      throw groupConflict(group, error);
    const originals = await Promise.all(
      group.map((a) =>
        findRetriedAppend(
          query,
          a.streamId,
          a.ids.map((id) => ({ id, type: '', data: null })),
        ),
      ),
    );
    if (originals.some((o) => o === undefined)) throw error;
    return originals as AppendRow[];
  }
};

const settle = <T>(pending: Promise<T>) =>
  pending.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

/**
 * Groups that arrived together, in one statement. Plain appends alone keep their own statement
 * (appendMany). If the statement fails as a whole (a group not as expected, a retry hitting the
 * event-id index, a deadlock) it wrote nothing, so each group is then sent on its own to get its
 * own answer; only a lost connection is everyone's answer.
 */
export const appendGroups = async (
  query: StoreQuery,
  groups: readonly AppendGroup[],
): Promise<BatchAnswers<AppendRow[]>> => {
  if (groups.every((g) => g.length === 1)) {
    const answers = await appendMany(
      query,
      groups.map((g) => g[0]!),
    );
    return answers.map((a) => (a.ok ? { ok: true as const, value: [a.value] } : a));
  }
  const each = () => Promise.all(groups.map((g) => settle(appendGroupOnce(query, g))));
  if (groups.length === 1) return each();
  try {
    return (await runGroups(query, groups)).map((value) => ({ ok: true as const, value }));
  } catch (error) {
    if (error instanceof EventStoreUnavailableError) throw error;
    return each();
  }
};
