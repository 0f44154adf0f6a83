import type { Decider } from '../handling/decider';
import { refuse } from '../handling/decider';
import type { TrainerDayEvent, TrainerSlotClaimed } from '../../events/trainers/trainerEvents';
import { localToInstant } from '../../events/classes/classTime';
import { formatMinute } from './availability';

export interface GeoPoint {
  readonly lat: number;
  readonly lng: number;
}

/** Assumed door-to-door speed across a city, and the time to pack up, park and set up again. */
const CITY_SPEED_KMH = 20;
const CHANGEOVER_MINUTES = 10;
/** Between two societies of which one has no coordinates we cannot measure: assume an hour. */
export const UNKNOWN_DISTANCE_BUFFER_MINUTES = 60;
const EARTH_RADIUS_KM = 6371;

export const haversineKm = (a: GeoPoint, b: GeoPoint): number => {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
};

/**
 * Minutes a trainer needs between a class at one society and a class at another: the
 * great-circle distance at city speed, plus the changeover, rounded up to 5 minutes.
 * (Same society needs none; the decider does not ask.)
 */
export const travelBufferMinutes = (a: GeoPoint | null, b: GeoPoint | null): number => {
  if (!a || !b) return UNKNOWN_DISTANCE_BUFFER_MINUTES;
  const minutes = (haversineKm(a, b) / CITY_SPEED_KMH) * 60 + CHANGEOVER_MINUTES;
  // The epsilon keeps float noise (e.g. 15.000000001) from costing an extra 5 minutes.
  return Math.ceil(minutes / 5 - 1e-9) * 5;
};

export type TrainerDayCommand =
  | {
      type: 'ClaimTrainerSlot';
      trainerId: string;
      date: string;
      classId: string;
      societyId: string;
      /** Minutes since midnight, local to the society. */
      start: number;
      end: number;
      societyLocation: GeoPoint | null;
      /**
       * The society's IANA zone. With it the claim records the instants `date` + `start`/`end`
       * mean there and is compared with other claims in absolute time (every class path passes
       * it); without it the claim holds local minutes only, compared as such.
       */
      timezone?: string;
      maxClassesPerDay: number;
    }
  | { type: 'ReleaseTrainerSlot'; trainerId: string; date: string; classId: string };

/** A claim's span in absolute time, epoch milliseconds. */
export interface ClaimInstants {
  readonly startsAt: number;
  readonly endsAt: number;
}

export interface ClaimedSlot {
  readonly classId: string;
  readonly societyId: string;
  /** Minutes since midnight, local to the society. */
  readonly start: number;
  readonly end: number;
  readonly societyLocation: GeoPoint | null;
  /** Null for a claim known by local minutes only (recorded before instants, zone unknown). */
  readonly instants: ClaimInstants | null;
}

export interface TrainerDayState {
  readonly claims: ReadonlyMap<string, ClaimedSlot>;
}

/** The instants a society-local date and minutes mean in `timezone`; null for an unknown zone. */
export const instantsIn = (
  date: string,
  start: number,
  end: number,
  timezone: string,
): ClaimInstants | null => {
  try {
    return {
      startsAt: localToInstant(date, start, timezone).getTime(),
      endsAt: localToInstant(date, end, timezone).getTime(),
    };
  } catch {
    return null;
  }
};

/**
 * Upcast on read (recorded claims are never rewritten): the instants the claim recorded, else
 * those its wall clock meant in its recorded zone, else none (local minutes only).
 */
const instantsOfClaim = (d: TrainerSlotClaimed['data']): ClaimInstants | null => {
  const recorded = { startsAt: Date.parse(d.startsAt ?? ''), endsAt: Date.parse(d.endsAt ?? '') };
  if (Number.isFinite(recorded.startsAt) && Number.isFinite(recorded.endsAt)) return recorded;
  return d.timezone !== undefined ? instantsIn(d.date, d.start, d.end, d.timezone) : null;
};

const sameInstants = (a: ClaimInstants | null, b: ClaimInstants | null) =>
  !a || !b || (a.startsAt === b.startsAt && a.endsAt === b.endsAt);

const sameSlot = (a: ClaimedSlot, b: ClaimedSlot) =>
  a.societyId === b.societyId &&
  a.start === b.start &&
  a.end === b.end &&
  JSON.stringify(a.societyLocation) === JSON.stringify(b.societyLocation) &&
  sameInstants(a.instants, b.instants);

/** A class on a trainer's day as the rule needs it (a claim, or a class the planner places). */
export type PlacedClaim = Pick<ClaimedSlot, 'societyId' | 'start' | 'end' | 'societyLocation'> & {
  /** Absent or null: known by local minutes only (a claim recorded before claims carried instants). */
  readonly instants?: ClaimInstants | null;
};

/**
 * Two classes clash when one starts before the other ends plus the travel between them. Compared
 * in absolute time whenever both claims know their instants (societies in different time zones
 * share a date but not a clock); a pair with a local-minutes-only claim falls back to local minutes.
 */
export const clashes = (a: PlacedClaim, b: PlacedClaim): boolean => {
  const buffer = a.societyId === b.societyId ? 0 : travelBufferMinutes(a.societyLocation, b.societyLocation);
  if (a.instants && b.instants) {
    const bufferMs = buffer * 60_000;
    return (
      a.instants.startsAt < b.instants.endsAt + bufferMs && b.instants.startsAt < a.instants.endsAt + bufferMs
    );
  }
  return a.start < b.end + buffer && b.start < a.end + buffer;
};

/**
 * Trainer workload for one day (docs/architecture.md, "Rules across streams", 3): at most `maxClassesPerDay` classes, none
 * overlapping once travel between societies is counted. The one stream per trainer and date is
 * what makes the rule hold under concurrent assignments: its expected revision serialises them.
 * The day is the classes' society-local date; overlaps are compared in absolute time (see clashes).
 */
export const trainerDayDecider: Decider<TrainerDayState, TrainerDayCommand, TrainerDayEvent> = {
  initialState: () => ({ claims: new Map() }),
  evolve: (state, event) => {
    const claims = new Map(state.claims);
    if (event.type === 'TrainerSlotClaimed') {
      const { classId, societyId, start, end, societyLocation } = event.data;
      claims.set(classId, {
        classId,
        societyId,
        start,
        end,
        societyLocation,
        instants: instantsOfClaim(event.data),
      });
    } else {
      claims.delete(event.data.classId);
    }
    return { claims };
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'ClaimTrainerSlot': {
        const { trainerId, date, classId, societyId, start, end, societyLocation, timezone } = command;
        if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= 1440 && start < end))
          return refuse('invalid-slot', 400, 'A class starts before it ends, within one day');
        const instants = timezone === undefined ? null : instantsIn(date, start, end, timezone);
        if (timezone !== undefined && !instants)
          return refuse('invalid-timezone', 400, 'Unknown time zone', timezone);
        const wanted: ClaimedSlot = { classId, societyId, start, end, societyLocation, instants };
        const held = state.claims.get(classId);
        if (held) {
          if (sameSlot(held, wanted)) return [];
          return refuse(
            'trainer-slot-claimed-differently',
            409,
            'This class already holds a different slot of the trainer that day',
            'Release it first, then claim the new time.',
          );
        }
        if (state.claims.size >= command.maxClassesPerDay) {
          return refuse(
            'trainer-daily-limit',
            422,
            'The trainer already has as many classes that day as they take',
            `${state.claims.size} of ${command.maxClassesPerDay} classes on ${date}`,
            { max_classes_per_day: command.maxClassesPerDay },
          );
        }
        const clash = [...state.claims.values()].find((other) => clashes(wanted, other));
        if (clash) {
          return refuse(
            'trainer-overlap',
            422,
            'The trainer is teaching elsewhere then (travel time included)',
            `Clashes with class ${clash.classId} at ${formatMinute(clash.start)}-${formatMinute(clash.end)}`,
            { conflicting_class_id: clash.classId },
          );
        }
        const absolute =
          timezone !== undefined && instants
            ? {
                timezone,
                startsAt: new Date(instants.startsAt).toISOString(),
                endsAt: new Date(instants.endsAt).toISOString(),
              }
            : {};
        return [
          {
            type: 'TrainerSlotClaimed',
            data: { trainerId, date, classId, societyId, start, end, societyLocation, ...absolute },
          },
        ];
      }
      case 'ReleaseTrainerSlot':
        if (!state.claims.has(command.classId)) return [];
        return [
          {
            type: 'TrainerSlotReleased',
            data: { trainerId: command.trainerId, date: command.date, classId: command.classId },
          },
        ];
    }
  },
};
