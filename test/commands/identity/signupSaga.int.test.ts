import { randomUUID } from 'node:crypto';
import { registerUser } from '../../../src/commands/identity/identityCommands';
import { CommandHandler, CommandRefusedError } from '../../../src/commands/shared/commandHandler';
import type { UserRegistered } from '../../../src/events/identity/userEvents';
import type { EventStore } from '../../../src/events/store/eventStore';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import { streams } from '../../../src/events/streams';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';

// Reserve → act → compensate, under faults: a claim is given back only when the act certainly
// wrote nothing.
let db: TestDatabase;
let store: PostgresEventStore;
beforeAll(async () => {
  db = await createTestDatabase();
  store = new PostgresEventStore(db.pool);
});
afterAll(async () => {
  await store.close();
  await db.dispose();
});

/** The store as seen through a connection that drops right after the user's append commits. */
const droppingAfterUserAppend = (inner: EventStore): EventStore =>
  new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop !== 'append') return Reflect.get(target, prop, receiver);
      return async (...args: Parameters<EventStore['append']>) => {
        const result = await target.append(...args);
        if (args[0].startsWith('user-')) throw new Error('Connection terminated unexpectedly');
        return result;
      };
    },
  });

const registration = (email: string, phoneNumber: string): UserRegistered['data'] => ({
  userId: randomUUID(),
  name: 'Asha',
  email,
  phoneNumber,
  role: 'society_admin',
  passwordHash: 'not-a-real-hash',
  societyId: null,
  trainer: null,
});

const meta = () => ({ commandId: randomUUID(), commandType: 'RegisterUser' });
const eventCount = async () => Number((await db.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);

describe('signup saga', () => {
  it('keeps the email claimed when the connection dies after the user was recorded: a second signup is 409', async () => {
    const email = `saga-${randomUUID()}@example.com`;
    const first = registration(email, `+9199${Date.now() % 100_000_000}`.slice(0, 13));
    await expect(
      registerUser(new CommandHandler(droppingAfterUserAppend(store)), first, meta()),
    ).rejects.toThrow(/Connection terminated/);

    const commands = new CommandHandler(store);
    const { state: user } = await commands.load(streams.user(first.userId), {
      initialState: () => false,
      evolve: () => true,
    });
    expect(user).toBe(true);
    const second = registerUser(commands, registration(email, '+919812345670'), meta());
    await expect(second).rejects.toBeInstanceOf(CommandRefusedError);
    await expect(second).rejects.toMatchObject({ refusal: { type: 'email-taken', status: 409 } });
  });

  it('a signup refused for a taken phone number writes nothing (no claim and release of the email)', async () => {
    const phone = '+919811112222';
    await registerUser(
      new CommandHandler(store),
      registration(`a-${randomUUID()}@example.com`, phone),
      meta(),
    );
    const before = await eventCount();
    await expect(
      registerUser(new CommandHandler(store), registration(`b-${randomUUID()}@example.com`, phone), meta()),
    ).rejects.toMatchObject({ refusal: { type: 'phone-number-taken', status: 409 } });
    expect(await eventCount()).toBe(before);
  });
});
