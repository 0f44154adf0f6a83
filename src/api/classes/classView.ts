import type { Request } from 'express';
import type { Knex } from 'knex';
import { formatMinute } from '../../commands/trainers/availability';
import {
  listClasses,
  type ActivityRow,
  type ClassFilter,
  type ClassRow,
} from '../../projections/classes/classQueries';
import { HttpProblem } from '../http/errorHandler';
import { decodeCursor, encodeCursor } from '../http/keysetCursor';
import { listAnswer } from '../http/listAnswer';
import type { RouteResult } from '../http/route';

/** Recorded `canceled`, otherwise what the clock says about the class's times. */
const statusAt = (row: ClassRow, now: Date) =>
  row.status === 'canceled'
    ? 'canceled'
    : now < row.starts_at
      ? 'scheduled'
      : now < row.ends_at
        ? 'ongoing'
        : 'completed';

/**
 * A class as every answer shows it. The spec names the same things twice (`id`/`event_id`,
 * `date`/`event_date`) in different sections: both are given, so a client coded from either reads it.
 */
export const toClass = (row: ClassRow, now: Date) => ({
  id: row.id,
  event_id: row.id,
  name: row.name,
  society_id: row.society_id,
  trainer_id: row.trainer_id,
  class_type: row.class_type,
  date: row.date,
  event_date: row.date,
  start_time: formatMinute(row.start_minute),
  end_time: formatMinute(row.end_minute),
  duration: row.end_minute - row.start_minute,
  location: row.location ?? null,
  timezone: row.timezone,
  starts_at: row.starts_at.toISOString(),
  ends_at: row.ends_at.toISOString(),
  max_members: row.max_members,
  seats_left: row.seats_left,
  status: statusAt(row, now),
  cancel_reason: row.cancel_reason,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});

export const toActivity = (row: ActivityRow) => ({
  id: row.id,
  order: row.order,
  name: row.name,
  duration: row.duration_minutes,
  description: row.description,
  tracks: row.tracks,
  media_url: row.media_url,
});

export const classNotFound = (id: string) =>
  new HttpProblem(
    404,
    'class-not-found',
    'Class not found',
    `No class (event) ${id}: check the id (GET /events lists your society’s classes).`,
  );

/** Keyset cursors over (starts_at, id), in the shape the shared cursor codec carries. */
const cursorOf = (row: ClassRow) => encodeCursor({ created_at: row.starts_at, id: row.id });
const afterCursor = (cursor: string | undefined) => {
  if (!cursor) return undefined;
  const { createdAt, id } = decodeCursor(cursor);
  return { startsAt: createdAt, id };
};

/** One page of classes in start order, answered as a bare array (the next page in headers). */
export const classPage = async (
  knex: Knex,
  req: Request,
  filter: Omit<ClassFilter, 'limit' | 'after'>,
  query: { limit: number; cursor?: string },
): Promise<RouteResult> => {
  const rows = await listClasses(knex, {
    ...filter,
    limit: query.limit + 1,
    after: afterCursor(query.cursor),
  });
  const shown = rows.slice(0, query.limit);
  const now = new Date();
  const next = rows.length > query.limit ? cursorOf(shown[shown.length - 1]!) : null;
  return listAnswer(
    req,
    shown.map((r) => toClass(r, now)),
    next,
  );
};
