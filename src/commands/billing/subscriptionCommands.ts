import { streams } from '../../events/streams';
import { CommandRefusedError, type CommandHandler, type CommandMetadata } from '../handling/commandHandler';
import { refuse } from '../handling/decider';
import { loadMember } from '../members/memberCommands';
import { societyDecider } from '../societies/societyDecider';
import { loadPlan } from './planCommands';
import { subscriptionDecider } from './subscriptionDecider';

const refused = (...args: Parameters<typeof refuse>) => new CommandRefusedError(refuse(...args));

/**
 * Starts a subscription for an approved member on a plan their society offers. It stays
 * awaiting payment until a payment for the plan's price completes (POST /payments).
 */
export const subscribeMember = async (
  commands: CommandHandler,
  input: { subscriptionId: string; memberId: string; planId: string; changePlan: boolean },
  metadata: CommandMetadata,
) => {
  const member = await loadMember(commands, input.memberId);
  if (!member.exists)
    throw refused('member-not-found', 404, 'Member not found', `No member ${input.memberId}`);
  if (member.status !== 'approved')
    throw refused(
      'member-not-approved',
      422,
      'Only an approved member can subscribe',
      `Member ${input.memberId} is ${member.status}; an admin of their society approves members (POST /members/{id}/status) before they subscribe.`,
      { member_status: member.status },
    );
  const plan = await loadPlan(commands, input.planId);
  if (!plan.exists || (plan.societyId !== null && plan.societyId !== member.societyId))
    throw refused(
      'plan-not-offered',
      422,
      'The member’s society offers no such plan',
      `No plan ${input.planId}`,
    );
  if (plan.retired)
    throw refused(
      'plan-retired',
      422,
      'This plan is retired and takes no new subscribers',
      'Choose one of the plans GET /subscriptions lists.',
    );
  const society = (await commands.load(streams.society(member.societyId), societyDecider)).state;
  const timeZone = society.registered ? society.details.timezone : 'UTC';
  const outcome = await commands.handle(
    streams.memberSubscriptions(input.memberId),
    subscriptionDecider,
    {
      type: 'RequestSubscription',
      subscriptionId: input.subscriptionId,
      memberId: input.memberId,
      societyId: member.societyId,
      plan: { planId: plan.planId, ...plan.terms },
      timeZone,
      changePlan: input.changePlan,
    },
    metadata,
  );
  return { outcome, member, plan };
};

export const loadMemberSubscriptions = async (commands: CommandHandler, memberId: string) =>
  (await commands.load(streams.memberSubscriptions(memberId), subscriptionDecider)).state;
