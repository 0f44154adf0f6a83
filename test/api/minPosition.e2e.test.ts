import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { adminWithSociety } from '../support/actors';
import { formatPosition, parsePosition } from '../../src/events/store/position';
import { startTestApp, type TestApp } from '../support/testApp';

let t: TestApp;
let societyId: string;
beforeAll(async () => {
  t = await startTestApp();
  ({ societyId } = await adminWithSociety(t));
});
afterAll(async () => t.dispose());

/** The last segment of a problem type URI, e.g. `position-beyond-head`. */
const kind = (body: { type?: string }) => String(body.type).split('/').pop();
const society = () => request(t.app).get(`/api/v1/societies/${societyId}`);
/** Well under the app's 5 s read-your-writes wait: an answer this fast did not wait for it. */
const AT_ONCE_MS = 1000;

describe('?min_position= and ArcFit-Min-Position beyond the store’s head', () => {
  it('are refused at once with 422 position-beyond-head naming the head, not waited for', async () => {
    const head = await t.store.newestPosition();
    const forged = [
      formatPosition({ commit: head.commit + 1_000_000n, prepare: 0n }),
      formatPosition({ commit: head.commit, prepare: head.prepare + 1n }),
    ];
    for (const position of forged) {
      for (const send of [
        () => society().query({ min_position: position }),
        () => society().set('ArcFit-Min-Position', position),
      ]) {
        const started = Date.now();
        const res = await send();
        expect(Date.now() - started).toBeLessThan(AT_ONCE_MS);
        expect(res.status).toBe(422);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(kind(res.body)).toBe('position-beyond-head');
        expect(res.body.min_position).toBe(position);
        const named = parsePosition(res.body.head);
        expect(named).toEqual(head);
        expect(res.body.detail).toContain(formatPosition(head));
      }
    }
  });

  it('still waits for a position the store has reached and the read side may not have yet', async () => {
    // An append straight to the store: its position is legitimate, and nothing waited for it yet.
    const { position } = await t.store.append(`min-position-probe-${randomUUID()}`, [
      { id: randomUUID(), type: 'MinPositionProbed', data: {} },
    ]);
    const written = formatPosition(position);
    const viaQuery = await society().query({ min_position: written });
    expect([viaQuery.status, viaQuery.body.id]).toEqual([200, societyId]);
    const viaHeader = await society().set('ArcFit-Min-Position', written);
    expect([viaHeader.status, viaHeader.body.id]).toEqual([200, societyId]);
    expect(await t.waiter.waitFor(position, 0)).toBe(true);
  });
});
