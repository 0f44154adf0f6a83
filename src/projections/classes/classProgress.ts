/**
 * Where a class is at an instant: before it, which activity is running and how long it has left,
 * or after it. Pure: the caller passes the clock.
 */
export type ClassProgress =
  | { state: 'canceled' }
  | { state: 'not_started'; minutes_to_start: number }
  | { state: 'finished' }
  | {
      state: 'running';
      minutes_into_class: number;
      minutes_left_in_class: number;
      /** Null when the activities planned are over but the class is not. */
      activity: { id: string; order: number; name: string; tracks: string[]; minutes_left: number } | null;
    };

export interface ProgressInput {
  canceled: boolean;
  startsAt: Date;
  endsAt: Date;
  activities: readonly {
    id: string;
    order: number;
    name: string;
    duration_minutes: number;
    tracks: string[];
  }[];
}

const MINUTE = 60_000;

export const classProgress = (input: ProgressInput, now: Date): ClassProgress => {
  if (input.canceled) return { state: 'canceled' };
  const t = now.getTime();
  if (t < input.startsAt.getTime())
    return { state: 'not_started', minutes_to_start: Math.ceil((input.startsAt.getTime() - t) / MINUTE) };
  if (t >= input.endsAt.getTime()) return { state: 'finished' };
  const elapsed = (t - input.startsAt.getTime()) / MINUTE;
  const base = {
    state: 'running' as const,
    minutes_into_class: Math.floor(elapsed),
    minutes_left_in_class: Math.ceil((input.endsAt.getTime() - t) / MINUTE),
  };
  let startOfActivity = 0;
  for (const a of [...input.activities].sort((x, y) => x.order - y.order)) {
    const endOfActivity = startOfActivity + a.duration_minutes;
    if (elapsed < endOfActivity) {
      return {
        ...base,
        activity: {
          id: a.id,
          order: a.order,
          name: a.name,
          tracks: a.tracks,
          minutes_left: Math.ceil(endOfActivity - elapsed),
        },
      };
    }
    startOfActivity = endOfActivity;
  }
  return { ...base, activity: null };
};
