import type { Availability } from '../../events/trainers/trainerEvents';
import { checkTrainerFit } from './trainerFit';
import { clashes, haversineKm, instantsIn, type GeoPoint, type PlacedClaim } from './trainerDayDecider';

/** The class a trainer is sought for: where and when it is, and who teaches it now. */
export interface ClassToStaff {
  readonly id: string;
  readonly societyId: string;
  readonly classType: string;
  /** 'YYYY-MM-DD', local to the society. */
  readonly date: string;
  readonly start: number;
  readonly end: number;
  readonly timezone: string;
  readonly trainerId: string | null;
  readonly societyLocation: GeoPoint | null;
}

/** A class a trainer already holds that day (their trainer-day claim as the read side shows it). */
export interface HeldClass {
  readonly trainerId: string;
  readonly classId: string;
  readonly societyId: string;
  readonly start: number;
  readonly end: number;
  /** The instants the claim recorded (ISO), or null when it recorded none. */
  readonly startsAt: string | null;
  readonly endsAt: string | null;
}

export interface CandidateTrainer {
  readonly id: string;
  readonly specialization: readonly string[];
  readonly availability: Availability | null;
  readonly max_classes_per_day: number;
  readonly location: { readonly latitude: number | null; readonly longitude: number | null };
}

export interface SuggestionFacts<T extends CandidateTrainer> {
  readonly classToStaff: ClassToStaff;
  /** Trainers who teach the class type (the specialization is checked again here, by the fit rule). */
  readonly trainers: readonly T[];
  /** Every class held by any trainer on the class's date. */
  readonly heldThatDay: readonly HeldClass[];
  readonly societyLocations: ReadonlyMap<string, GeoPoint | null>;
  /** Each society's IANA zone, for a held class that recorded no instants. */
  readonly societyZones: ReadonlyMap<string, string>;
}

export interface TrainerSuggestion<T> {
  readonly trainer: T;
  /** Straight-line km from the trainer's location to the class's society, to 0.1 km; null when either is unknown. */
  readonly distanceKm: number | null;
  readonly classesThatDay: number;
}

const distanceKm = (from: GeoPoint | null, trainer: CandidateTrainer): number | null => {
  const { latitude, longitude } = trainer.location;
  if (!from || latitude === null || longitude === null) return null;
  return Math.round(haversineKm(from, { lat: latitude, lng: longitude }) * 10) / 10;
};

/**
 * Who could take a class, nearest first, then least busy that day. A suggestion is a trainer the
 * assignment would accept: not the one teaching it already, fit by specialization and declared
 * availability, under their classes-per-day limit, and clashing with none of their classes that
 * day by the claim's own rule (trainerDayDecider: absolute time across zones, plus travel).
 */
export const rankTrainerSuggestions = <T extends CandidateTrainer>(
  facts: SuggestionFacts<T>,
): TrainerSuggestion<T>[] => {
  const { classToStaff: wanted, societyLocations, societyZones } = facts;
  // This class is claimed in the zone it recorded; a held claim's instants are the ones it
  // recorded, else its minutes in its society's zone, else unknown (compared by local minutes).
  const wantedClaim: PlacedClaim = {
    societyId: wanted.societyId,
    start: wanted.start,
    end: wanted.end,
    societyLocation: wanted.societyLocation,
    instants: instantsIn(wanted.date, wanted.start, wanted.end, wanted.timezone),
  };
  const heldClaim = (held: HeldClass): PlacedClaim => {
    const zone = societyZones.get(held.societyId);
    return {
      societyId: held.societyId,
      start: held.start,
      end: held.end,
      societyLocation: societyLocations.get(held.societyId) ?? null,
      instants:
        held.startsAt !== null && held.endsAt !== null
          ? { startsAt: Date.parse(held.startsAt), endsAt: Date.parse(held.endsAt) }
          : zone === undefined
            ? null
            : instantsIn(wanted.date, held.start, held.end, zone),
    };
  };
  const others = facts.heldThatDay.filter((h) => h.classId !== wanted.id);
  const slot = { classType: wanted.classType, date: wanted.date, start: wanted.start, end: wanted.end };
  return facts.trainers
    .filter((t) => t.id !== wanted.trainerId)
    .filter((t) => checkTrainerFit(t, slot) === 'ok')
    .map((trainer) => ({ trainer, day: others.filter((h) => h.trainerId === trainer.id) }))
    .filter(({ trainer, day }) => day.length < trainer.max_classes_per_day)
    .filter(({ day }) => day.every((h) => !clashes(wantedClaim, heldClaim(h))))
    .map(({ trainer, day }) => ({
      trainer,
      distanceKm: distanceKm(wanted.societyLocation, trainer),
      classesThatDay: day.length,
    }))
    .sort(
      (a, b) =>
        (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity) || a.classesThatDay - b.classesThatDay,
    );
};
