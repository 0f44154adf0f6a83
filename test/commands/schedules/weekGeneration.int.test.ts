import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { scheduleClass } from '../../../src/commands/classes/classCommands';
import { generateWeek, generatedClassId } from '../../../src/commands/schedules/weekGeneration';
import { streams } from '../../../src/events/streams';
import { signUp } from '../../support/actors';
import { startTestApp, type TestApp } from '../../support/testApp';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.dispose());

describe('generating a week from a read side that is behind', () => {
  it('still keeps the trainer-day rule: the claim refuses, the slot is reported, no class is made', async () => {
    const admin = await signUp(t, 'society_admin');
    const societyId = (
      await request(t.app)
        .post('/api/v1/societies')
        .set(...admin.auth)
        .send({ name: `Society ${randomUUID()}`, location: 'Here', latitude: 28.6, longitude: 77.3 })
    ).body.id as string;
    const type = `yoga-${randomUUID()}`;
    const coach = await signUp(t, 'trainer', {
      specialization: [type],
      location: { latitude: 28.6, longitude: 77.3 },
    });
    const template = await request(t.app)
      .post(`/api/v1/societies/${societyId}/schedule-templates`)
      .set(...admin.auth)
      .send({ name: 'Flow', weekday: 'mon', start_time: '09:00', duration_minutes: 60, class_type: type });
    expect(template.status).toBe(201);

    // The read side stops; a hand-made class then takes the coach at 09:30 that Monday.
    await t.engine.close();
    await scheduleClass(
      t.commands,
      {
        classId: randomUUID(),
        societyId,
        name: 'Hand-made',
        classType: type,
        date: '2030-06-03',
        start: 570,
        end: 630,
        maxMembers: 10,
        trainerId: coach.userId,
        scheduledBy: admin.userId,
      },
      { commandId: randomUUID(), commandType: 'ScheduleClass' },
    );

    const result = await generateWeek(
      { knex: t.db.knex, commands: t.commands },
      { isoWeek: '2030-W23', societyIds: [societyId], timeLimitSeconds: 5 },
      {},
    );
    // The plan (from the stale read side) gave the coach the 09:00 class; the claim said no.
    expect(result.proposal.classes.map((c) => c.trainerId)).toEqual([coach.userId]);
    expect(result.created).toEqual([]);
    expect(result.unstaffed.map((u) => u.reason)).toEqual(['trainer-overlap']);
    const generated = generatedClassId(societyId, template.body.id, '2030-W23');
    expect(await t.store.readStream(streams.class(generated))).toEqual([]);
    const day = await t.store.readStream(streams.trainerDay(coach.userId, '2030-06-03'));
    expect(day.map((e) => e.type)).toEqual(['TrainerSlotClaimed']);
  });
});
