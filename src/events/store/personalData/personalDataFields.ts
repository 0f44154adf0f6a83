/**
 * Which facts carry personal data, whose it is, and where. Only these fields are encrypted with
 * the person's key (see protectedEventStore.ts); everything else stays readable for replay.
 * A new event type with a name, email or phone number in it belongs here.
 */
export type PersonalField = 'name' | 'email' | 'phoneNumber';

export interface PersonalDataLayout {
  /** Path to the person's id in `data` (the key's subject). */
  readonly subject: readonly string[];
  /** Paths in `data` to each personal field. */
  readonly fields: ReadonlyArray<{ readonly path: readonly string[]; readonly kind: PersonalField }>;
}

const contact = (prefix: readonly string[] = []) =>
  (['name', 'email', 'phoneNumber'] as const).map((kind) => ({ path: [...prefix, kind], kind }));

export const PERSONAL_DATA: Readonly<Record<string, PersonalDataLayout>> = {
  UserRegistered: { subject: ['userId'], fields: contact() },
  PhoneVerified: { subject: ['userId'], fields: [{ path: ['phoneNumber'], kind: 'phoneNumber' }] },
  MemberOnboarded: { subject: ['memberId'], fields: contact() },
  MemberProfileChanged: { subject: ['memberId'], fields: contact(['changes']) },
  TrainerProfileCreated: { subject: ['trainerId'], fields: contact() },
  TrainerProfileUpdated: { subject: ['trainerId'], fields: contact(['changes']) },
};

/**
 * What a field reads as once its key is gone. Emails and phones stay unique per person (read
 * tables keep unique indexes on them) and obviously not an address anyone could use.
 */
export const erasedValue = (kind: PersonalField, subjectId: string): string =>
  kind === 'name'
    ? 'Erased person'
    : kind === 'email'
      ? `erased-${subjectId}@erased.invalid`
      : `erased-${subjectId}`;
