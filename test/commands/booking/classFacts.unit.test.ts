import { ClassFacts } from '../../../src/commands/booking/classFacts';
import type { CommandHandler } from '../../../src/commands/handling/commandHandler';

/** A class stream read that the test settles by hand, so loads can be held in flight. */
const classStreams = () => {
  const pending: Array<{ resolve: (state: object) => void; reject: (error: Error) => void }> = [];
  const commands = {
    load: jest.fn(
      () =>
        new Promise<{ state: object }>((resolve, reject) =>
          pending.push({ resolve: (state) => resolve({ state }), reject }),
        ),
    ),
  };
  const settle = (state: object) => pending.shift()!.resolve(state);
  const fail = (error: Error) => pending.shift()!.reject(error);
  return { commands, settle, fail, facts: new ClassFacts(commands as unknown as CommandHandler) };
};

const yoga = {
  exists: true,
  societyId: 'society-1',
  name: 'Morning yoga',
  date: '2026-03-02',
  startsAt: '2026-03-02T04:30:00.000Z',
  endsAt: '2026-03-02T05:30:00.000Z',
  timezone: 'Asia/Kolkata',
};
const fact = {
  societyId: 'society-1',
  name: 'Morning yoga',
  date: '2026-03-02',
  startsAt: '2026-03-02T04:30:00.000Z',
  endsAt: '2026-03-02T05:30:00.000Z',
};

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  jest.setSystemTime(new Date('2026-03-01T10:00:00Z'));
});
afterEach(() => jest.useRealTimers());

describe('class facts cache', () => {
  it('a burst of bookings on a cold class reads its stream once', async () => {
    const { commands, settle, facts } = classStreams();
    const burst = [facts.get('c1'), facts.get('c1'), facts.get('c1')];
    settle(yoga);
    for (const f of await Promise.all(burst)) expect(f).toMatchObject(fact);
    expect(commands.load).toHaveBeenCalledTimes(1);
  });

  it('keeps a fact for 10 seconds, then reads the stream again', async () => {
    const { commands, settle, facts } = classStreams();
    const first = facts.get('c1');
    settle(yoga);
    await first;
    jest.advanceTimersByTime(9_000);
    await expect(facts.get('c1')).resolves.toMatchObject(fact);
    expect(commands.load).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1_500);
    const again = facts.get('c1');
    settle({ ...yoga, name: 'Evening yoga' });
    await expect(again).resolves.toMatchObject({ name: 'Evening yoga' });
    expect(commands.load).toHaveBeenCalledTimes(2);
  });

  it('does not remember a class that does not exist, nor a failed read', async () => {
    const { commands, settle, fail, facts } = classStreams();
    const missing = facts.get('c1');
    settle({ exists: false });
    await expect(missing).resolves.toBeUndefined();
    const failed = facts.get('c1');
    fail(new Error('store unavailable'));
    await expect(failed).rejects.toThrow('store unavailable');
    const found = facts.get('c1');
    settle(yoga);
    await expect(found).resolves.toMatchObject(fact);
    expect(commands.load).toHaveBeenCalledTimes(3);
  });

  it('a forgotten fact is read again on the next booking', async () => {
    const { commands, settle, facts } = classStreams();
    const first = facts.get('c1');
    settle(yoga);
    await first;
    facts.forget('c1');
    const again = facts.get('c1');
    settle({ ...yoga, startsAt: '2026-03-02T05:30:00.000Z' });
    await expect(again).resolves.toMatchObject({ startsAt: '2026-03-02T05:30:00.000Z' });
    expect(commands.load).toHaveBeenCalledTimes(2);
  });

  it('forgetting a class while its read is in flight still answers the bookings waiting on it', async () => {
    const { settle, facts } = classStreams();
    const waiting = facts.get('c1');
    facts.forget('c1');
    settle(yoga);
    await expect(waiting).resolves.toMatchObject(fact);
  });
});
