import { randomUUID } from 'node:crypto';
import { scheduleClass } from '../../../src/commands/classes/classCommands';
import { rescheduleClass } from '../../../src/commands/classes/classMoves';
import { CommandHandler } from '../../../src/commands/handling/commandHandler';
import { registerSociety } from '../../../src/commands/societies/societyCommands';
import { MemoryEventStore } from '../../../src/events/store/memory/memoryEventStore';

// The class commands check a class's own rules before they claim a trainer's day. That check must
// see the handler's clock, as the decision made at append time does: otherwise a deployment (or a
// test) with its own clock is refused by the check what the append would accept.
const handlerNow = new Date('2020-01-06T09:00:00Z');
const meta = (commandType: string) => ({ commandId: randomUUID(), commandType });

const societyIn = async (commands: CommandHandler) => {
  const societyId = randomUUID();
  await registerSociety(
    commands,
    {
      societyId,
      registeredBy: null,
      details: {
        name: `Clock Society ${societyId}`,
        location: 'Here',
        maxMembersPerEvent: 20,
        capacity: 100,
        timezone: 'Asia/Kolkata',
        latitude: null,
        longitude: null,
      },
    },
    meta('RegisterSociety'),
  );
  return societyId;
};

describe('class commands and the handler clock', () => {
  it('schedules and moves a class that is in the future by the handler clock (though past by the wall clock)', async () => {
    const commands = new CommandHandler(new MemoryEventStore(), { clock: () => handlerNow });
    const societyId = await societyIn(commands);
    const classId = randomUUID();
    const scheduled = await scheduleClass(
      commands,
      {
        classId,
        societyId,
        name: 'Morning flow',
        classType: 'yoga',
        date: '2020-02-03',
        start: 7 * 60,
        end: 8 * 60,
        maxMembers: 10,
        trainerId: null,
        scheduledBy: null,
      },
      meta('ScheduleClass'),
    );
    expect(scheduled.events.map((e) => e.type)).toEqual(['ClassScheduled']);

    const moved = await rescheduleClass(
      commands,
      { classId, date: '2020-02-04', start: 7 * 60, end: 8 * 60 },
      meta('RescheduleClass'),
    );
    expect(moved.events.map((e) => e.type)).toContain('ClassRescheduled');
  });
});
