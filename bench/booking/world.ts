import { BookingCommands } from '../../src/commands/booking/bookingCommands';
import { randomUUID } from 'node:crypto';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { Server } from 'node:http';
import pino from 'pino';
import { createApp } from '../../src/api/app';
import { createIdentity } from '../../src/api/auth/identityServices';
import { readYourWrites } from '../../src/api/http/readYourWrites';
import { subscriptionEligibility } from '../../src/commands/billing/subscriptionEligibility';
import { scheduleClass } from '../../src/commands/classes/classCommands';
import { memberDecider } from '../../src/commands/members/memberDecider';
import { CommandHandler } from '../../src/commands/handling/commandHandler';
import { PostgresEventStore } from '../../src/events/store/postgres/postgresEventStore';
import { ProtectedEventStore } from '../../src/events/store/personalData/protectedEventStore';
import { PersonalDataKeys } from '../../src/events/store/personalData/personalDataKeys';
import { streams } from '../../src/events/streams';
import { parsePosition } from '../../src/events/store/position';
import { allProjections } from '../../src/projections';
import { createReadSide } from '../../src/projections/engine/readSide';
import { openDatabase } from '../../src/platform/database';
import { migrate } from '../../src/platform/migrations';

const meta = (commandType: string) => ({ commandId: randomUUID(), commandType });

/** The whole service as `npm start` runs it (API + projections in one process) on one database. */
export const startService = async (url: string) => {
  const database = openDatabase(url, { maxConnections: 40, applicationName: 'bench-booking' });
  await migrate(database.knex);
  // Composed as services.ts composes it for `npm start`: personal data encrypted per person.
  const store = new ProtectedEventStore(
    new PostgresEventStore(database.pool),
    new PersonalDataKeys(database.pool),
  );
  const commands = new CommandHandler(store);
  const logger = pino({ level: 'silent' });
  const { engine, waiter } = await createReadSide(database.knex, store, allProjections, logger, {
    connectionString: url,
  });
  // BENCH_PROJECTIONS=worker: the read models run in a worker process (`npm run worker`, the
  // scaled-out shape: API processes with RUN_PROJECTIONS=false), not on the API's thread.
  const worker =
    process.env.BENCH_PROJECTIONS === 'worker'
      ? fork(join(__dirname, '..', '..', 'src', 'worker.ts'), {
          execArgv: ['--import', 'tsx'],
          env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
        })
      : undefined;
  if (!worker) engine.start();
  const app = createApp({
    knex: database.knex,
    store,
    commands,
    readYourWrites: readYourWrites(waiter, Number(process.env.BENCH_RYW_TIMEOUT_MS ?? 10_000), store),
    projections: engine,
    identity: createIdentity(database.knex, {
      jwtSecret: 'bench-secret-bench-secret-bench-secret-0123',
      accessTokenTtlSeconds: 3600,
      refreshTokenTtlSeconds: 3600,
      authRateLimitPerMinute: 1_000_000,
    }),
    subscriptions: subscriptionEligibility(commands),
    bookings: new BookingCommands(commands, subscriptionEligibility(commands)),
    logger,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/v1`;
  return {
    base,
    knex: database.knex,
    commands,
    store,
    waiter,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      worker?.kill('SIGTERM');
      if (worker) await new Promise((resolve) => worker.once('exit', resolve));
      await engine.close();
      await waiter.close();
      await store.close();
      await database.close();
    },
  };
};

export type Service = Awaited<ReturnType<typeof startService>>;

const call = async (
  base: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  idempotencyKey?: string,
) => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

const expectStatus = (what: string, res: { status: number; body: unknown }, status: number) => {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown>;
};

/** A batch runner: `count` tasks, `parallel` at a time. */
export const inParallel = async <T>(count: number, parallel: number, task: (i: number) => Promise<T>) => {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
};

/**
 * A society with its admin (signed up over HTTP), approved members with paid subscriptions
 * (through billing's HTTP flow) and classes (through the class commands).
 */
export const seedSociety = async (service: Service) => {
  const { base, commands } = service;
  const admin = expectStatus(
    'signup',
    await call(base, 'POST', '/auth/signup', null, {
      role: 'society_admin',
      name: 'Bench Admin',
      email: `bench-${randomUUID()}@example.com`,
      phone_number: `+9198${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      password: 'a long bench passphrase',
    }),
    201,
  );
  const token = admin.token as string;
  const society = expectStatus(
    'society',
    await call(base, 'POST', '/societies', token, {
      name: `Bench ${randomUUID()}`,
      location: 'Sector 62',
      max_members_per_event: 500,
      capacity: 100_000,
    }),
    201,
  );
  const societyId = society.id as string;
  const plan = expectStatus(
    'plan',
    await call(base, 'POST', '/subscriptions', token, {
      society_id: societyId,
      name: 'Monthly',
      price: '100.00',
      currency: 'INR',
      duration_in_days: 30,
    }),
    201,
  );

  const members = async (count: number): Promise<string[]> => {
    const ids = await inParallel(count, 16, async () => {
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
          name: 'Bench Member',
          email: `${memberId}@example.com`,
          phoneNumber: '+919800000000',
        },
        meta('OnboardMember'),
      );
      await commands.handle(
        streams.member(memberId),
        memberDecider,
        {
          type: 'DecideMembership',
          memberId,
          decision: 'approved',
          reason: null,
          checker: { userId: randomUUID(), role: 'super_admin' },
        },
        meta('DecideMembership'),
      );
      return memberId;
    });
    await service.waiter.waitFor(await service.store.headPosition(), 60_000);
    /** Seeding is not measured: an answer past the read-side wait (202) is waited for and asked again. */
    /** `answered`: the status of a settled answer (201 for a subscription, 200 for a processed payment). */
    const created = async (what: string, path: string, body: unknown, answered = 201) => {
      const key = randomUUID();
      for (;;) {
        const res = await call(base, 'POST', path, token, body, key);
        if (res.status !== 202) return expectStatus(what, res, answered);
        await service.waiter.waitFor(parsePosition(res.body.position)!, 60_000);
      }
    };
    await inParallel(ids.length, 16, async (i) => {
      const subscribed = await created('subscribe', `/members/${ids[i]}/subscribe`, {
        subscription_id: plan.id,
      });
      await created(
        'payment',
        '/payments',
        {
          member_id: ids[i],
          subscription_id: plan.id,
          amount: subscribed.amount_due,
          transaction_id: `txn_${randomUUID()}`,
        },
        200,
      );
    });
    return ids;
  };

  /** Classes on 2030-03-04 + `day` at `hour`:00 for 30 minutes. */
  const classes = async (slots: { day: number; hour: number; maxMembers: number }[]): Promise<string[]> => {
    const ids = await inParallel(slots.length, 16, async (i) => {
      const classId = randomUUID();
      const { day, hour, maxMembers } = slots[i]!;
      const date = new Date(Date.UTC(2030, 2, 4 + day)).toISOString().slice(0, 10);
      await scheduleClass(
        commands,
        {
          classId,
          societyId,
          name: 'Bench class',
          classType: 'yoga',
          date,
          start: hour * 60,
          end: hour * 60 + 30,
          maxMembers,
          trainerId: null,
          scheduledBy: null,
        },
        meta('ScheduleClass'),
      );
      return classId;
    });
    await service.waiter.waitFor(await service.store.headPosition(), 60_000);
    return ids;
  };

  /** The admin books each member (POST /events/{id}/bookings), as the front desk would. */
  const bookingRequest = (classId: string, memberId: string) => ({
    path: `/events/${classId}/bookings`,
    token,
    body: { member_id: memberId },
  });

  return { societyId, members, classes, bookingRequest };
};
