import { randomUUID } from 'node:crypto';
import {
  CommandHandler,
  CommandRefusedError,
  ConcurrencyConflictError,
} from '../../../src/commands/handling/commandHandler';
import {
  assignTrainerToSlot,
  createTrainerProfile,
  releaseTrainerSlot,
  type TrainerAssignment,
} from '../../../src/commands/trainers/trainerCommands';
import { trainerDayDecider, travelBufferMinutes } from '../../../src/commands/trainers/trainerDayDecider';
import { streams } from '../../../src/events/streams';
import { PostgresEventStore } from '../../../src/events/store/postgres/postgresEventStore';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase';

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

const meta = (commandType = 'AssignTrainer') => ({ commandId: randomUUID(), commandType });
const date = '2026-03-02';
const societies = [
  { id: randomUUID(), location: { lat: 28.6, lng: 77.3 } },
  { id: randomUUID(), location: { lat: 28.65, lng: 77.35 } },
];

const newTrainer = async (commands: CommandHandler, maxClassesPerDay = 3) => {
  const trainerId = randomUUID();
  await createTrainerProfile(
    commands,
    {
      trainerId,
      createdBy: null,
      details: {
        name: 'Asha',
        email: `${trainerId}@example.com`,
        phoneNumber: null,
        specialization: ['Yoga'],
        location: { address: null, latitude: 28.6, longitude: 77.3 },
        maxClassesPerDay,
      },
    },
    meta('CreateTrainerProfile'),
  );
  return trainerId;
};

const slot = (trainerId: string, i: number, start: number, end: number): TrainerAssignment => {
  const society = societies[i % 2]!;
  return {
    trainerId,
    classId: `class-${i}-${randomUUID()}`,
    societyId: society.id,
    societyLocation: society.location,
    date,
    start,
    end,
    classType: 'yoga',
  };
};

const clash = (a: TrainerAssignment, b: TrainerAssignment) => {
  const buffer = a.societyId === b.societyId ? 0 : travelBufferMinutes(a.societyLocation, b.societyLocation);
  return a.start < b.end + buffer && b.start < a.end + buffer;
};

describe('trainer workload on PostgreSQL', () => {
  it('accepts at most max_classes_per_day of 10 simultaneous assignments from two processes, none overlapping', async () => {
    // Two handlers stand for two API processes: separate mutexes, separate state caches.
    const processes = [new CommandHandler(store), new CommandHandler(store)];
    const trainerId = await newTrainer(processes[0]!);
    // Every 50 minutes from 06:00, 45 minutes long, alternating between two societies ~7 km
    // apart: neighbours clash once travel is counted, others do not.
    const wanted = Array.from({ length: 10 }, (_, i) => slot(trainerId, i, 360 + i * 50, 405 + i * 50));

    const results = await Promise.allSettled(
      wanted.map((assignment, i) => assignTrainerToSlot(processes[i % 2]!, assignment, meta())),
    );

    const accepted = wanted.filter((_, i) => results[i]!.status === 'fulfilled');
    for (const r of results) {
      if (r.status === 'rejected') {
        const error = r.reason as Error;
        if (error instanceof CommandRefusedError)
          expect(['trainer-daily-limit', 'trainer-overlap']).toContain(error.refusal.type);
        else expect(error).toBeInstanceOf(ConcurrencyConflictError);
      }
    }
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(accepted.length).toBeLessThanOrEqual(3);
    for (const a of accepted) for (const b of accepted) if (a !== b) expect(clash(a, b)).toBe(false);

    // The stream itself agrees with what the callers were told.
    const { state } = await new CommandHandler(store).load(
      streams.trainerDay(trainerId, date),
      trainerDayDecider,
    );
    expect([...state.claims.keys()].sort()).toEqual(accepted.map((a) => a.classId).sort());
  });

  it('fills exactly max_classes_per_day when no two requested classes clash', async () => {
    const processes = [new CommandHandler(store), new CommandHandler(store)];
    const trainerId = await newTrainer(processes[0]!);
    const wanted = Array.from({ length: 10 }, (_, i) => ({
      ...slot(trainerId, i, i * 120, i * 120 + 30),
      societyId: societies[0]!.id,
    }));
    const results = await Promise.allSettled(
      wanted.map((assignment, i) => assignTrainerToSlot(processes[i % 2]!, assignment, meta())),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const { state } = await new CommandHandler(store).load(
      streams.trainerDay(trainerId, date),
      trainerDayDecider,
    );
    expect(state.claims.size).toBe(3);
  });

  it('refuses an unknown trainer and a class outside their specialization, claiming nothing', async () => {
    const commands = new CommandHandler(store);
    const unknown = randomUUID();
    await expect(assignTrainerToSlot(commands, slot(unknown, 0, 600, 660), meta())).rejects.toMatchObject({
      refusal: { type: 'trainer-not-found', status: 404 },
    });
    const trainerId = await newTrainer(commands);
    await expect(
      assignTrainerToSlot(commands, { ...slot(trainerId, 0, 600, 660), classType: 'Zumba' }, meta()),
    ).rejects.toMatchObject({ refusal: { type: 'trainer-specialization-mismatch', status: 422 } });
    expect(await store.readStream(streams.trainerDay(trainerId, date))).toEqual([]);
  });

  it('frees a released slot for another class, and a retried assignment writes once', async () => {
    const commands = new CommandHandler(store);
    const trainerId = await newTrainer(commands, 1);
    const first = slot(trainerId, 0, 600, 660);
    const firstMeta = meta();
    await assignTrainerToSlot(commands, first, firstMeta);
    const retried = await assignTrainerToSlot(new CommandHandler(store), first, firstMeta);
    expect(retried.replayed).toBe(true);
    await expect(assignTrainerToSlot(commands, slot(trainerId, 1, 900, 960), meta())).rejects.toMatchObject({
      refusal: { type: 'trainer-daily-limit' },
    });
    await releaseTrainerSlot(commands, { trainerId, classId: first.classId, date }, firstMeta);
    await assignTrainerToSlot(commands, slot(trainerId, 1, 900, 960), meta());
    const events = await store.readStream(streams.trainerDay(trainerId, date));
    expect(events.map((e) => e.type)).toEqual([
      'TrainerSlotClaimed',
      'TrainerSlotReleased',
      'TrainerSlotClaimed',
    ]);
  });
});
