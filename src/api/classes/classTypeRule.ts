/**
 * The class type of a class scheduled without one (the spec's bodies have no `class_type`):
 *
 * 1. a trainer with a single specialization: that specialization;
 * 2. a trainer with several: the one the class's name mentions ("Yoga Class" → Yoga);
 * 3. no trainer: the class's name without the generic words the spec's examples end in
 *    ("Yoga Class", "Yoga Workshop", "Yoga Session" → yoga).
 *
 * Null when the trainer teaches several kinds and the name mentions none of them: the caller
 * must then say which (class_type), as guessing would refuse or mis-file the class.
 */
const GENERIC_WORDS = new Set(['class', 'classes', 'session', 'sessions', 'workshop', 'event', 'lesson']);

const normalise = (text: string) => text.normalize('NFKC').trim().toLowerCase();

export const classTypeFromName = (name: string): string => {
  const words = normalise(name).split(/\s+/).filter(Boolean);
  const kept = words.filter((w) => !GENERIC_WORDS.has(w));
  return (kept.length > 0 ? kept : words).join(' ');
};

export const deriveClassType = (
  name: string,
  trainerSpecializations: readonly string[] | null,
): string | null => {
  if (!trainerSpecializations || trainerSpecializations.length === 0) return classTypeFromName(name);
  if (trainerSpecializations.length === 1) return trainerSpecializations[0]!;
  const words = new Set(normalise(name).split(/[^\p{L}\p{N}]+/u));
  const mentioned = trainerSpecializations.filter(
    (s) =>
      normalise(name).includes(normalise(s)) &&
      normalise(s)
        .split(/\s+/)
        .every((w) => words.has(w)),
  );
  return mentioned.length === 1 ? mentioned[0]! : null;
};
