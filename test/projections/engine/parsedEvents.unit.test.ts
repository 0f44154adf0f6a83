import { randomUUID } from 'node:crypto';
import { bookingConfirmedSchema } from '../../../src/events/booking/bookingEvents';
import type { RecordedEvent } from '../../../src/events/store/eventStore';
import { bookingFact } from '../../../src/projections/booking/bookingFacts';
import { notificationFact } from '../../../src/projections/notifications/notificationFacts';
import { parsedData } from '../../../src/projections/engine/parsedEvents';

// A rebuild hands one page's event objects to every read model; each parsed the data again.
const confirmed = (): RecordedEvent => ({
  id: randomUUID(),
  streamId: `class-${randomUUID()}`,
  revision: 3,
  position: { commit: 10n, prepare: 10n },
  type: 'BookingConfirmed',
  data: {
    bookingId: randomUUID(),
    classId: randomUUID(),
    memberId: randomUUID(),
    societyId: randomUUID(),
    week: '2026-W10',
    bookedBy: null,
    bookedAt: '2026-03-02T10:00:00.000Z',
    seatsLeft: 4,
  },
  metadata: {},
  createdAt: new Date('2026-03-02T10:00:00.000Z'),
});

describe('event data parsed for the read models', () => {
  afterEach(() => jest.restoreAllMocks());

  it('is parsed once per event and schema, however many read models read it', () => {
    const parse = jest.spyOn(bookingConfirmedSchema, 'parse');
    const first = confirmed();
    const second = confirmed();

    const bookings = bookingFact(first);
    const notifications = notificationFact(first, Date.now());
    bookingFact(second);
    notificationFact(second, Date.now());

    expect(parse).toHaveBeenCalledTimes(2);
    expect(bookings.kind === 'placed' && bookings.data.bookingId).toBe(
      (first.data as { bookingId: string }).bookingId,
    );
    expect(notifications.data).toBe(parsedData(first, bookingConfirmedSchema));
  });

  it('is frozen under test, so a read model that mutates shared data fails', () => {
    const data = parsedData(confirmed(), bookingConfirmedSchema);
    expect(() => {
      (data as { seatsLeft: number }).seatsLeft = 0;
    }).toThrow(TypeError);
  });

  it('caches no failed parse: every read model gets the error', () => {
    const broken = { ...confirmed(), data: { bookingId: 'not-a-uuid' } };
    const parse = jest.spyOn(bookingConfirmedSchema, 'parse');
    expect(() => parsedData(broken, bookingConfirmedSchema)).toThrow();
    expect(() => parsedData(broken, bookingConfirmedSchema)).toThrow();
    expect(parse).toHaveBeenCalledTimes(2);
  });
});
