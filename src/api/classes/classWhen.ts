import { localDateOf, localMinuteOf } from '../../events/classes/classTime';
import { HttpProblem } from '../http/errorHandler';

/** When a class is, as the society's wall clock says: the class commands' terms. */
export interface ClassWhen {
  date: string;
  start: number;
  end: number;
}

/** What a create request said about time: a local day and times, or an instant and a length. */
export type RequestedWhen =
  | { kind: 'local'; date: string; start: number; end?: number; duration?: number }
  | { kind: 'instant'; at: Date; duration: number };

const sameDayOnly = (detail: string) =>
  new HttpProblem(400, 'invalid-class-times', 'A class starts and ends on the same local day', detail);

/**
 * The society-local date, start and end of a requested class. An instant (the updated event
 * design's `date`) is read in the society's zone; a class runs within one local day (the trainer's
 * day claim is per date), so one that would cross local midnight is refused.
 */
export const resolveClassWhen = (when: RequestedWhen, timeZone: string): ClassWhen => {
  if (when.kind === 'local') {
    const end = when.end ?? when.start + when.duration!;
    if (end > 1440)
      throw sameDayOnly(`Starting at minute ${when.start}, ${when.duration} minutes run past midnight.`);
    return { date: when.date, start: when.start, end };
  }
  const date = localDateOf(when.at, timeZone);
  const start = localMinuteOf(when.at, timeZone);
  const end = start + when.duration;
  if (end > 1440)
    throw sameDayOnly(
      `${when.at.toISOString()} is ${date} ${String(Math.floor(start / 60)).padStart(2, '0')}:${String(start % 60).padStart(2, '0')} in ${timeZone}; ${when.duration} minutes from then run past local midnight.`,
    );
  return { date, start, end };
};
