import type { Position } from '../../events/store/position';
import { acceptedAnswer, positionHeaders } from './acceptedAnswer';
import type { ReadYourWrites } from './readYourWrites';
import type { RouteResult } from './route';

/**
 * A command's answer: once the read side includes the command's position, the row as a GET would
 * show it (201 when created, else 200; with its ETag when it has a version); past the wait, 202
 * with the position to pass back as `?min_position=`.
 */
export const answerCommand = async <Row extends { version?: number }>(
  readYourWrites: ReadYourWrites,
  answer: {
    id: string;
    position: Position | undefined;
    /** Set when the command created the entity: answers 201 with Location. */
    location?: string;
    load: () => Promise<Row | undefined>;
    present: (row: Row) => unknown;
  },
): Promise<RouteResult> => {
  const { id, position, location } = answer;
  const headers = positionHeaders(position);
  if (location) headers.Location = location;
  const row = (await readYourWrites.caughtUp(position)) ? await answer.load() : undefined;
  if (!row) return acceptedAnswer(id, position, headers);
  if (row.version !== undefined) headers.ETag = `"${row.version}"`;
  return { status: location ? 201 : 200, headers, body: answer.present(row) };
};
