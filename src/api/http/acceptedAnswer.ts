import { formatPosition, type Position } from '../../events/store/position';
import { POSITION_HEADER, type ReadYourWrites } from './readYourWrites';
import type { RouteResult } from './route';

/** The header that hands a command's position back (none when the command appended nothing). */
export const positionHeaders = (position: Position | undefined): Record<string, string> =>
  position ? { [POSITION_HEADER]: formatPosition(position) } : {};

/**
 * 202: the command is recorded, the read side has not shown it yet. The body names the position
 * to pass back as `?min_position=` (see readYourWrites.ts).
 */
export const acceptedAnswer = (
  id: string,
  position: Position | undefined,
  headers: Record<string, string> = positionHeaders(position),
): RouteResult => ({
  status: 202,
  headers,
  body: { status: 'accepted', id, position: position ? formatPosition(position) : '' },
});

/** A removal's answer: 204 once the read side no longer shows the thing, else 202 with the position. */
export const answerRemoval = async (
  readYourWrites: ReadYourWrites,
  id: string,
  position: Position | undefined,
): Promise<RouteResult> =>
  (await readYourWrites.caughtUp(position))
    ? { status: 204, headers: positionHeaders(position) }
    : acceptedAnswer(id, position);
