import type { Position } from '../../events/store/position';
import { answerCommand } from './answerCommand';
import { API_BASE } from './basePath';
import type { ReadYourWrites } from './readYourWrites';

/**
 * The answer of every command on one kind of row (answerCommand): the row as its GET shows it once
 * the read side has caught up, with a Location when the command created it; else 202 with the
 * position to wait for.
 */
export const answerWithRow =
  <Row extends { version?: number }>(
    readYourWrites: ReadYourWrites,
    kind: {
      /** Where the row is read, under the API's base path: `/societies/${id}`. */
      path: (id: string) => string;
      load: (id: string) => Promise<Row | undefined>;
      present: (row: Row) => unknown;
    },
  ) =>
  (id: string, position: Position | undefined, created: boolean) =>
    answerCommand(readYourWrites, {
      id,
      position,
      location: created ? `${API_BASE}${kind.path(id)}` : undefined,
      load: () => kind.load(id),
      present: kind.present,
    });
