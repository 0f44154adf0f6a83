import { randomUUID } from 'node:crypto';
import { BookingCommands, type BookingHooks } from '../../../src/commands/booking/bookingCommands';
import { scheduleClass } from '../../../src/commands/classes/classCommands';
import { memberDecider } from '../../../src/commands/members/memberDecider';
import type { CommandHandler } from '../../../src/commands/handling/commandHandler';
import { societyDecider } from '../../../src/commands/societies/societyDecider';
import { streams } from '../../../src/events/streams';

const meta = (commandType: string) => ({ commandId: randomUUID(), commandType });
const SUPER = { userId: '99999999-9999-4999-8999-999999999999', role: 'super_admin' as const };

/**
 * A society with approved members and scheduled classes, built through the real commands on any
 * event store (PostgreSQL, the EventStoreDB double). Subscriptions are billing's: here a port that
 * says every member holds one, so these tests are about seats and weekly slots only.
 */
export const bookingWorld = async (
  commands: CommandHandler,
  options: { maxMembersPerEvent?: number } = {},
) => {
  const societyId = randomUUID();
  await commands.handle(
    streams.society(societyId),
    societyDecider,
    {
      type: 'RegisterSociety',
      societyId,
      registeredBy: null,
      details: {
        name: `Society ${societyId}`,
        location: 'Sector 62',
        maxMembersPerEvent: options.maxMembersPerEvent ?? 50,
        capacity: 500,
        timezone: 'Asia/Kolkata',
        latitude: null,
        longitude: null,
      },
    },
    meta('RegisterSociety'),
  );

  const member = async () => {
    const memberId = randomUUID();
    await commands.handle(
      streams.member(memberId),
      memberDecider,
      {
        type: 'OnboardMember',
        memberId,
        userId: memberId,
        societyId,
        subscriptionId: null,
        onboardedBy: null,
        selfRegistered: true,
        name: 'Member',
        email: `${memberId}@example.com`,
        phoneNumber: '+919800000000',
      },
      meta('OnboardMember'),
    );
    await commands.handle(
      streams.member(memberId),
      memberDecider,
      { type: 'DecideMembership', memberId, decision: 'approved', reason: null, checker: SUPER },
      meta('DecideMembership'),
    );
    return memberId;
  };

  /** A class on a society-local date, `hour`:00 for an hour (default far ahead: 2030-03-04 is a Monday). */
  const klass = async (opts: { date?: string; hour?: number; maxMembers?: number } = {}) => {
    const classId = randomUUID();
    const hour = opts.hour ?? 7;
    await scheduleClass(
      commands,
      {
        classId,
        societyId,
        name: 'Yoga',
        classType: 'yoga',
        date: opts.date ?? '2030-03-04',
        start: hour * 60,
        end: hour * 60 + 60,
        maxMembers: opts.maxMembers ?? 20,
        trainerId: null,
        scheduledBy: null,
      },
      meta('ScheduleClass'),
    );
    return classId;
  };

  const bookings = (hooks?: BookingHooks) =>
    new BookingCommands(commands, { isActiveAt: async () => true }, hooks);

  return { societyId, member, klass, bookings };
};

export const bookingMeta = (commandId: string = randomUUID()) => ({ commandId, commandType: 'BookClass' });
