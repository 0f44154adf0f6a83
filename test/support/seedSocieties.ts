import { randomUUID } from 'node:crypto';
import type { EventStore } from '../../src/events/store/eventStore';
import type { Position } from '../../src/events/store/position';
import { streams } from '../../src/events/streams';

/** Appends society histories straight to the store: registrations followed by a few changes each. */
export const seedSocieties = async (
  store: EventStore,
  societies: number,
  changesEach: number,
): Promise<Position> => {
  await Promise.all(
    Array.from({ length: 8 }, async (_, lane) => {
      for (let i = lane; i < societies; i += 8) {
        const societyId = randomUUID();
        const events = [
          {
            id: randomUUID(),
            type: 'SocietyRegistered',
            data: {
              societyId,
              registeredBy: null,
              name: `Seeded ${societyId}`,
              location: `Block ${i}`,
              maxMembersPerEvent: 20,
              capacity: 100 + i,
              timezone: 'Asia/Kolkata',
              latitude: null,
              longitude: null,
            },
          },
          ...Array.from({ length: changesEach }, (_, c) => ({
            id: randomUUID(),
            type: 'SocietyDetailsChanged',
            data: { societyId, changes: { capacity: 1000 + c, location: `Block ${i}, wing ${c}` } },
          })),
        ];
        await store.append(streams.society(societyId), events, { expectedRevision: 'no_stream' });
      }
    }),
  );
  // The lanes finish in any order: the head, not the last append to return, is the newest event.
  return store.headPosition();
};
