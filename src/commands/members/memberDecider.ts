import type { Decider } from '../handling/decider';
import { refuse } from '../handling/decider';
import type { Role } from '../../events/identity/userEvents';
import type {
  MemberEvent,
  MemberOnboarded,
  MemberProfile,
  MemberStatus,
} from '../../events/members/memberEvents';

export type MemberCommand =
  | ({ type: 'OnboardMember' } & MemberOnboarded['data'])
  | { type: 'ChangeMemberProfile'; memberId: string; changes: Partial<MemberProfile> }
  | {
      type: 'DecideMembership';
      memberId: string;
      decision: 'approved' | 'rejected';
      reason: string | null;
      checker: { userId: string; role: Role };
    };

export type MemberState =
  | { exists: false }
  | {
      exists: true;
      profile: MemberProfile;
      societyId: string;
      userId: string | null;
      onboardedBy: string | null;
      status: MemberStatus;
      phoneVerified: boolean;
    };

const notFound = (memberId: string) =>
  refuse('member-not-found', 404, 'Member not found', `No member ${memberId}`);

/** Only what differs from the current profile: an update that changes nothing records nothing. */
const actualChanges = (current: MemberProfile, requested: Partial<MemberProfile>): Partial<MemberProfile> =>
  Object.fromEntries(
    Object.entries(requested).filter(
      ([key, value]) => value !== undefined && current[key as keyof MemberProfile] !== value,
    ),
  );

/**
 * Maker-checker, for everyone: whoever filed an application may not also decide it (a super_admin
 * who onboarded a member included; any other admin of the society, or another super_admin, can),
 * and nobody decides their own.
 */
const makerCheckerViolation = (
  state: Extract<MemberState, { exists: true }>,
  checker: { userId: string; role: Role },
) => {
  if (state.userId === checker.userId)
    return refuse(
      'maker-checker-violation',
      422,
      'Maker-checker: you may not decide this application',
      'Nobody may approve or reject their own membership.',
    );
  if (state.onboardedBy === checker.userId)
    return refuse(
      'maker-checker-violation',
      422,
      'Maker-checker: you may not decide this application',
      'You onboarded this member; another admin of the society must approve or reject them.',
    );
  return undefined;
};

export const memberDecider: Decider<MemberState, MemberCommand, MemberEvent> = {
  initialState: () => ({ exists: false }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'MemberOnboarded': {
        const d = event.data;
        return {
          exists: true,
          profile: { name: d.name, email: d.email, phoneNumber: d.phoneNumber },
          societyId: d.societyId,
          userId: d.userId,
          onboardedBy: d.onboardedBy,
          status: 'pending',
          phoneVerified: false,
        };
      }
      case 'MemberProfileChanged':
        return state.exists
          ? {
              ...state,
              profile: { ...state.profile, ...event.data.changes },
              phoneVerified: event.data.phoneVerified ?? state.phoneVerified,
            }
          : state;
      case 'MemberApproved':
        return state.exists ? { ...state, status: 'approved' } : state;
      case 'MemberRejected':
        return state.exists ? { ...state, status: 'rejected' } : state;
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'OnboardMember': {
        if (state.exists) return refuse('member-exists', 409, 'Member already exists');
        const { type: _type, ...data } = command;
        return [{ type: 'MemberOnboarded', data }];
      }
      case 'ChangeMemberProfile': {
        if (!state.exists) return notFound(command.memberId);
        const changes = actualChanges(state.profile, command.changes);
        if (Object.keys(changes).length === 0) return [];
        return [
          {
            type: 'MemberProfileChanged',
            data: {
              memberId: command.memberId,
              changes,
              ...(changes.phoneNumber !== undefined ? { phoneVerified: false } : {}),
            },
          },
        ];
      }
      case 'DecideMembership': {
        if (!state.exists) return notFound(command.memberId);
        if (state.status !== 'pending')
          return refuse(
            'member-already-decided',
            409,
            'This membership has already been decided',
            `The member is already ${state.status}.`,
            { current_status: state.status },
          );
        const violation = makerCheckerViolation(state, command.checker);
        if (violation) return violation;
        const reason = command.reason?.trim() || null;
        if (command.decision === 'rejected' && reason === null)
          return refuse(
            'rejection-reason-required',
            422,
            'A rejection needs a reason',
            'Say why the application is rejected; the member is told.',
          );
        return [
          {
            type: command.decision === 'approved' ? 'MemberApproved' : 'MemberRejected',
            data: {
              memberId: command.memberId,
              societyId: state.societyId,
              maker: state.onboardedBy,
              checker: command.checker.userId,
              checkerRole: command.checker.role,
              reason,
            },
          },
        ];
      }
    }
  },
};
