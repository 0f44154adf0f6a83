import { createHash } from 'node:crypto';
import type { MemberEvent, MemberOnboarded, MemberProfile } from '../../events/members/memberEvents';
import { streams } from '../../events/streams';
import type { CommandHandler, CommandMetadata, CommandOutcome } from '../handling/commandHandler';
import type { Role } from '../../events/identity/userEvents';
import { normaliseEmail, normalisePhone } from '../identity/contactDetails';
import { releaseUniqueValue, withUniqueClaim } from '../uniqueness/uniqueClaims';
import { memberDecider } from './memberDecider';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * One email, one phone number per member record. Separate from the account claims
 * (`unique-email-*`), so an account and the membership it applies for do not collide.
 */
export const memberClaimStreams = {
  email: (normalisedEmail: string) => `unique-member-email-${sha256(normalisedEmail)}`,
  phone: (e164: string) => `unique-member-phone-${sha256(e164)}`,
};

const emailClaim = (email: string, memberId: string) => ({
  streamId: memberClaimStreams.email(email),
  kind: 'member-email',
  owner: memberId,
});
const phoneClaim = (phone: string, memberId: string) => ({
  streamId: memberClaimStreams.phone(phone),
  kind: 'member-phone',
  owner: memberId,
});

/** Reserve the email, then the phone, then record the application; a refusal gives both back. */
const onboard = (
  commands: CommandHandler,
  data: MemberOnboarded['data'],
  metadata: CommandMetadata,
): Promise<CommandOutcome<MemberEvent>> =>
  withUniqueClaim(commands, emailClaim(data.email, data.memberId), metadata, () =>
    withUniqueClaim(commands, phoneClaim(data.phoneNumber, data.memberId), metadata, () =>
      commands.handle(
        streams.member(data.memberId),
        memberDecider,
        { type: 'OnboardMember', ...data },
        metadata,
      ),
    ),
  );

/** A society admin (the maker) files an application for someone; another admin must decide it. */
export const onboardMember = (
  commands: CommandHandler,
  input: {
    memberId: string;
    name: string;
    email: string;
    phoneNumber: string;
    societyId: string;
    subscriptionId: string | null;
    onboardedBy: string;
  },
  metadata: CommandMetadata,
) =>
  onboard(
    commands,
    {
      ...input,
      email: normaliseEmail(input.email),
      phoneNumber: normalisePhone(input.phoneNumber) ?? input.phoneNumber,
      userId: null,
      selfRegistered: false,
    },
    metadata,
  );

/**
 * A person who signed up as a member applies to their society, at signup or later (POST
 * /members by the member). Always memberId = userId, so the member reads their record with
 * their own id.
 */
export const applyForMembership = (
  commands: CommandHandler,
  input: {
    memberId: string;
    userId: string;
    name: string;
    email: string;
    phoneNumber: string;
    societyId: string;
    /** The plan they mean to take, recorded as given (signup names none). */
    subscriptionId?: string | null;
  },
  metadata: CommandMetadata,
) =>
  onboard(
    commands,
    {
      ...input,
      email: normaliseEmail(input.email),
      phoneNumber: normalisePhone(input.phoneNumber) ?? input.phoneNumber,
      subscriptionId: input.subscriptionId ?? null,
      onboardedBy: null,
      selfRegistered: true,
    },
    metadata,
  );

/**
 * A new email or phone is claimed before the change and the old one let go only after it is
 * recorded, so two members never hold one address, even for a moment.
 */
export const changeMemberProfile = async (
  commands: CommandHandler,
  input: { memberId: string; changes: Partial<MemberProfile> },
  metadata: CommandMetadata,
): Promise<CommandOutcome<MemberEvent>> => {
  const { memberId } = input;
  const changes: Partial<MemberProfile> = {
    name: input.changes.name,
    email: input.changes.email === undefined ? undefined : normaliseEmail(input.changes.email),
    phoneNumber:
      input.changes.phoneNumber === undefined
        ? undefined
        : (normalisePhone(input.changes.phoneNumber) ?? input.changes.phoneNumber),
  };
  const { state } = await commands.load(streams.member(memberId), memberDecider);
  const change = () =>
    commands.handle(
      streams.member(memberId),
      memberDecider,
      { type: 'ChangeMemberProfile', memberId, changes },
      metadata,
    );
  if (!state.exists) return change();

  const newEmail =
    changes.email !== undefined && changes.email !== state.profile.email ? changes.email : undefined;
  const newPhone =
    changes.phoneNumber !== undefined && changes.phoneNumber !== state.profile.phoneNumber
      ? changes.phoneNumber
      : undefined;
  const withPhone = () =>
    newPhone === undefined
      ? change()
      : withUniqueClaim(commands, phoneClaim(newPhone, memberId), metadata, change);
  const outcome =
    newEmail === undefined
      ? await withPhone()
      : await withUniqueClaim(commands, emailClaim(newEmail, memberId), metadata, withPhone);

  for (const old of [
    newEmail === undefined ? undefined : emailClaim(state.profile.email, memberId),
    newPhone === undefined ? undefined : phoneClaim(state.profile.phoneNumber, memberId),
  ]) {
    if (old) await releaseUniqueValue(commands, old.streamId, old.kind, old.owner, metadata);
  }
  return outcome;
};

export const decideMembership = (
  commands: CommandHandler,
  input: {
    memberId: string;
    decision: 'approved' | 'rejected';
    reason: string | null;
    checker: { userId: string; role: Role };
  },
  metadata: CommandMetadata,
) =>
  commands.handle(
    streams.member(input.memberId),
    memberDecider,
    { type: 'DecideMembership', ...input },
    metadata,
  );

/** The write side's view of one member: who may act on it is decided from this, not a lagging read. */
export const loadMember = async (commands: CommandHandler, memberId: string) =>
  (await commands.load(streams.member(memberId), memberDecider)).state;
