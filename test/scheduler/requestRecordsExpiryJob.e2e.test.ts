import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { requestRecordsExpiryJob } from '../../src/scheduler/jobs/requestRecordsExpiryJob';
import { adminWithSociety } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.dispose());

describe('request_records_expiry', () => {
  it('after the retention window a changed request under an old key runs as a new one; the same request still replays', async () => {
    const { admin, societyId } = await adminWithSociety(t);
    const create = (name: string, key: string) =>
      request(t.app)
        .post('/api/v1/events')
        .set(...admin.auth)
        .set('Idempotency-Key', key)
        .send({
          name,
          society_id: societyId,
          class_type: 'yoga',
          date: '2031-06-03',
          start_time: '07:00',
          end_time: '08:00',
        });
    const [keyA, keyB] = [randomUUID(), randomUUID()];
    const first = await create('Sunrise Yoga', keyA);
    const other = await create('Noon Yoga', keyB);
    expect([first.status, other.status]).toEqual([201, 201]);
    expect((await create('Sunset Yoga', keyA)).status).toBe(422);

    const hourLater = () => new Date(Date.now() + 25 * 3600_000);
    expect(await requestRecordsExpiryJob(t.db.knex, 24, hourLater).run(new AbortController().signal)).toMatch(
      /^forgot [1-9]/,
    );

    const replay = await create('Noon Yoga', keyB);
    expect(replay.body.id).toBe(other.body.id);
    const changed = await create('Sunset Yoga', keyA);
    expect(changed.status).toBe(201);
    expect(changed.body.id).not.toBe(first.body.id);
  });
});
