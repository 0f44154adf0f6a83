import { randomUUID } from 'node:crypto';
import { registerUser } from '../../../src/commands/identity/identityCommands';
import { CommandHandler, CommandRefusedError } from '../../../src/commands/handling/commandHandler';
import type { UserRegistered } from '../../../src/events/identity/userEvents';
import type { EventStore } from '../../../src/events/store/eventStore';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import { streams } from '../../../src/events/streams';
import { WrongExpectedRevisionError } from '../../../src/events/store/errors';
import { DEFAULT_CLAIM_GRACE_MS } from '../../../src/commands/uniqueness/claimSettlement';
import { UniqueClaimReconciler } from '../../../src/commands/uniqueness/uniqueClaimReconciler';
import { uniqueClaimDecider } from '../../../src/commands/uniqueness/uniqueClaimDecider';
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

/**
 * The store as seen by a signup that loses every race for its user stream (so the act certainly
 * wrote nothing) and whose connection then dies before the claims can be given back.
 */
const actLosingAndCompensationFailing = (inner: EventStore): EventStore =>
  new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop !== 'append') return Reflect.get(target, prop, receiver);
      return async (...args: Parameters<EventStore['append']>) => {
        const [streamId, events] = args;
        if (streamId.startsWith('user-')) throw new WrongExpectedRevisionError(streamId, 'no_stream', 0);
        if (events.some((e) => e.type === 'UniqueValueReleased'))
          throw new Error('Connection terminated unexpectedly');
        return target.append(...args);
      };
    },
  });

/** The store as seen through a connection that dies before the user's append reaches the server. */
const droppingBeforeUserAppend = (inner: EventStore): EventStore =>
  new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop !== 'append') return Reflect.get(target, prop, receiver);
      return async (...args: Parameters<EventStore['append']>) => {
        if (args[0].startsWith('user-')) throw new Error('Connection terminated unexpectedly');
        return target.append(...args);
      };
    },
  });

/** A clock that reads `offsetMs` after the real one, so claims just made look that old. */
const clockAhead = (offsetMs: number) => () => new Date(Date.now() + offsetMs);

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

    // Long after the grace period, the reconciler finds the owner recorded and keeps the claim.
    const reconciler = new UniqueClaimReconciler(store, commands, {
      clock: clockAhead(DEFAULT_CLAIM_GRACE_MS + 60_000),
    });
    expect((await reconciler.run()).kept).toBeGreaterThanOrEqual(2); // the email and the phone number
    const claim = await store.readStream(streams.uniqueEmail(email));
    expect(claim.map((e) => e.type)).toEqual(['UniqueValueClaimed']);
    await expect(registerUser(commands, registration(email, '+919812345671'), meta())).rejects.toMatchObject({
      refusal: { type: 'email-taken', status: 409 },
    });
  });

  it('releases the claims of a signup that certainly wrote no user but could not give them back, once the grace period is over', async () => {
    const email = `left-${randomUUID()}@example.com`;
    const phone = `+9198${String(Date.now()).slice(-8)}`;
    await expect(
      registerUser(
        new CommandHandler(actLosingAndCompensationFailing(store)),
        registration(email, phone),
        meta(),
      ),
    ).rejects.toMatchObject({ name: 'ConcurrencyConflictError' });

    const commands = new CommandHandler(store);
    await expect(registerUser(commands, registration(email, '+919812345672'), meta())).rejects.toMatchObject({
      refusal: { type: 'email-taken', status: 409 },
    });

    // Within the grace period the claims wait: the act might still be on its way.
    const soon = await new UniqueClaimReconciler(store, commands, { clock: clockAhead(60_000) }).run();
    expect(soon.released).toBe(0);
    expect(soon.waiting).toBeGreaterThanOrEqual(2);
    await expect(registerUser(commands, registration(email, '+919812345672'), meta())).rejects.toMatchObject({
      refusal: { type: 'email-taken', status: 409 },
    });

    const later = new UniqueClaimReconciler(store, commands, {
      clock: clockAhead(DEFAULT_CLAIM_GRACE_MS + 60_000),
    });
    expect((await later.run()).released).toBeGreaterThanOrEqual(2);
    expect((await store.readStream(streams.uniqueEmail(email))).map((e) => e.type)).toEqual([
      'UniqueValueClaimed',
      'UniqueValueReleased',
    ]);

    // The email and the phone number can be used again.
    const again = registration(email, phone);
    await registerUser(commands, again, meta());
    const { state: recorded } = await commands.load(streams.user(again.userId), {
      initialState: () => false,
      evolve: () => true,
    });
    expect(recorded).toBe(true);
    // A second run finds nothing more to release: the new owner was recorded.
    expect((await later.run()).released).toBe(0);
  });

  it('a retry of a signup whose claims the reconciler gave back claims the email again before recording the user', async () => {
    const email = `retry-${randomUUID()}@example.com`;
    const first = registration(email, `+9197${String(Date.now()).slice(-8)}`);
    const metadata = meta();
    await expect(
      registerUser(new CommandHandler(droppingBeforeUserAppend(store)), first, metadata),
    ).rejects.toThrow(/Connection terminated/);
    const commands = new CommandHandler(store);
    const reconciler = new UniqueClaimReconciler(store, commands, {
      clock: clockAhead(DEFAULT_CLAIM_GRACE_MS + 60_000),
    });
    expect((await reconciler.run()).released).toBeGreaterThanOrEqual(2);

    // The client retries the very same request (same Idempotency-Key, so the same command id).
    await registerUser(commands, first, metadata);
    const claim = await commands.load(streams.uniqueEmail(email), uniqueClaimDecider);
    expect(claim.state.owner).toBe(first.userId);
    await expect(registerUser(commands, registration(email, '+919812345673'), meta())).rejects.toMatchObject({
      refusal: { type: 'email-taken', status: 409 },
    });
    // And the reconciler keeps the new claim: its owner is recorded.
    expect((await reconciler.run()).released).toBe(0);
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
