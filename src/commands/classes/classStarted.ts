import { formatMinute } from '../trainers/availability';
import { refuse, type Refusal } from '../handling/decider';

interface StartedClass {
  readonly name: string;
  readonly date: string;
  readonly start: number;
  readonly timezone: string;
  readonly startsAt: string;
}

/**
 * `class-already-started`, with a detail a person can act on: which class, when it started in
 * its society's clock (and as an instant), and what `then` is still possible.
 */
export const classAlreadyStarted = (cls: StartedClass, then: string): Refusal =>
  refuse(
    'class-already-started',
    422,
    'The class has already started',
    `${cls.name} started at ${formatMinute(cls.start)} (${cls.timezone}) on ${cls.date} (${cls.startsAt}): ${then}`,
  );
