import { memberDecider, type MemberCommand } from '../../../src/commands/members/memberDecider';
import type { MemberEvent, MemberOnboarded } from '../../../src/events/members/memberEvents';
import { uniqueClaimDecider } from '../../../src/commands/uniqueness/uniqueClaimDecider';
import { deciderSpec } from '../../support/deciderSpec';

const memberId = '3b9d2c1e-6f0a-4e7b-9c21-5d8e7f6a1b01';
const societyId = '6a0f8a34-5f51-4d0c-9a43-8d1a5c2d7e11';
const maker = '0d7e2f3a-1b4c-4d5e-8f60-718293a4b5c6';
const otherAdmin = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const root = 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b';

const onboardedData: MemberOnboarded['data'] = {
  memberId,
  userId: null,
  name: 'Asha Rao',
  email: 'asha@example.com',
  phoneNumber: '+919876543210',
  societyId,
  subscriptionId: null,
  onboardedBy: maker,
  selfRegistered: false,
};
const onboarded: MemberEvent = { type: 'MemberOnboarded', data: onboardedData };
const selfRegistered: MemberEvent = {
  type: 'MemberOnboarded',
  data: { ...onboardedData, userId: memberId, onboardedBy: null, selfRegistered: true },
};

const decide = (
  decision: 'approved' | 'rejected',
  checker: { userId: string; role: 'society_admin' | 'super_admin' | 'member' },
  reason: string | null = null,
): MemberCommand => ({ type: 'DecideMembership', memberId, decision, reason, checker });

const decided = (
  type: 'MemberApproved' | 'MemberRejected',
  checker: string,
  checkerRole: string,
  reason: string | null,
  makerId: string | null = maker,
): MemberEvent => ({
  type,
  data: { memberId, societyId, maker: makerId, checker, checkerRole, reason },
});

const spec = deciderSpec(memberDecider);

describe('member decider', () => {
  describe('onboarding', () => {
    it('records a pending application with its maker', () => {
      spec
        .given([])
        .when({ type: 'OnboardMember', ...onboardedData })
        .then([onboarded]);
    });

    it('refuses to onboard the same member twice', () => {
      spec
        .given([onboarded])
        .when({ type: 'OnboardMember', ...onboardedData })
        .thenRefused('member-exists', 409);
    });
  });

  describe('profile changes', () => {
    it('records only what changed', () => {
      spec
        .given([onboarded])
        .when({
          type: 'ChangeMemberProfile',
          memberId,
          changes: { name: 'Asha R.', email: onboardedData.email },
        })
        .then([{ type: 'MemberProfileChanged', data: { memberId, changes: { name: 'Asha R.' } } }]);
    });

    it('marks a new phone number unverified', () => {
      spec
        .given([onboarded])
        .when({ type: 'ChangeMemberProfile', memberId, changes: { phoneNumber: '+919811112222' } })
        .then([
          {
            type: 'MemberProfileChanged',
            data: { memberId, changes: { phoneNumber: '+919811112222' }, phoneVerified: false },
          },
        ]);
    });

    it('records nothing when nothing changes', () => {
      spec
        .given([onboarded])
        .when({ type: 'ChangeMemberProfile', memberId, changes: { phoneNumber: onboardedData.phoneNumber } })
        .then([]);
    });

    it('refuses to change a member that does not exist', () => {
      spec
        .given([])
        .when({ type: 'ChangeMemberProfile', memberId, changes: { name: 'X' } })
        .thenRefused('member-not-found', 404);
    });
  });

  describe('maker-checker decisions', () => {
    it('refuses the admin who onboarded the member as checker', () => {
      spec
        .given([onboarded])
        .when(decide('approved', { userId: maker, role: 'society_admin' }))
        .thenRefused('maker-checker-violation', 422);
    });

    it('refuses the maker a rejection too', () => {
      spec
        .given([onboarded])
        .when(decide('rejected', { userId: maker, role: 'society_admin' }, 'no'))
        .thenRefused('maker-checker-violation', 422);
    });

    it('lets another admin approve, recording maker and checker', () => {
      spec
        .given([onboarded])
        .when(decide('approved', { userId: otherAdmin, role: 'society_admin' }))
        .then([decided('MemberApproved', otherAdmin, 'society_admin', null)]);
    });

    it('refuses a super_admin checking an application they made (maker-checker holds for everyone)', () => {
      spec
        .given([{ ...onboarded, data: { ...onboardedData, onboardedBy: root } } as MemberEvent])
        .when(decide('approved', { userId: root, role: 'super_admin' }))
        .thenRefused('maker-checker-violation', 422);
    });

    it('lets a super_admin check an application another admin made', () => {
      spec
        .given([onboarded])
        .when(decide('approved', { userId: root, role: 'super_admin' }))
        .then([decided('MemberApproved', root, 'super_admin', null)]);
    });

    it('lets any admin decide a self-registered application (there is no maker)', () => {
      spec
        .given([selfRegistered])
        .when(decide('rejected', { userId: maker, role: 'society_admin' }, '  Not a resident  '))
        .then([decided('MemberRejected', maker, 'society_admin', 'Not a resident', null)]);
    });

    it('refuses anyone deciding their own application', () => {
      spec
        .given([selfRegistered])
        .when(decide('approved', { userId: memberId, role: 'member' }))
        .thenRefused('maker-checker-violation', 422);
    });

    it('refuses a rejection without a reason', () => {
      spec
        .given([onboarded])
        .when(decide('rejected', { userId: otherAdmin, role: 'society_admin' }))
        .thenRefused('rejection-reason-required', 422);
    });

    it('treats a blank reason as none', () => {
      spec
        .given([onboarded])
        .when(decide('rejected', { userId: otherAdmin, role: 'society_admin' }, '   '))
        .thenRefused('rejection-reason-required', 422);
    });

    it('refuses to decide an application twice', () => {
      spec
        .given([onboarded, decided('MemberApproved', otherAdmin, 'society_admin', null)])
        .when(decide('rejected', { userId: root, role: 'super_admin' }, 'changed my mind'))
        .thenRefused('member-already-decided', 409);
    });

    it('refuses to decide a member that does not exist', () => {
      spec
        .given([])
        .when(decide('approved', { userId: otherAdmin, role: 'society_admin' }))
        .thenRefused('member-not-found', 404);
    });
  });
});

describe('member email claim', () => {
  const claims = deciderSpec(uniqueClaimDecider);
  it('refuses an email another member holds with member-email-taken', () => {
    claims
      .given([{ type: 'UniqueValueClaimed', data: { owner: 'member-1', kind: 'member-email' } }])
      .when({ type: 'ClaimUniqueValue', owner: 'member-2', kind: 'member-email' })
      .thenRefused('member-email-taken', 409);
  });
});
