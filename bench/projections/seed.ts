import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '../../src/events/store/eventStore';
import { streams } from '../../src/events/streams';

/**
 * Realistic histories appended straight to the store (the deciders are not what is measured):
 * societies with a few changes each, and per member a user registration, an application, a
 * decision and a profile change — the events the current read models mostly see.
 */
export const seedHistories = async (store: EventStore, targetEvents: number, lanes = 8): Promise<number> => {
  const societies = Array.from({ length: Math.max(1, Math.round(targetEvents / 2000)) }, () => randomUUID());
  let written = 0;
  for (const [i, societyId] of societies.entries()) {
    const events: NewEvent[] = [
      {
        id: randomUUID(),
        type: 'SocietyRegistered',
        data: {
          societyId,
          registeredBy: null,
          name: `Bench Society ${i}`,
          location: `Sector ${i}`,
          maxMembersPerEvent: 20,
          capacity: 400,
          timezone: 'Asia/Kolkata',
          latitude: null,
          longitude: null,
        },
      },
      {
        id: randomUUID(),
        type: 'SocietyDetailsChanged',
        data: { societyId, changes: { capacity: 500, location: `Sector ${i}, gate 2` } },
      },
    ];
    await store.append(streams.society(societyId), events, { expectedRevision: 'no_stream' });
    written += events.length;
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (written < targetEvents) {
        const n = next++;
        const memberId = randomUUID();
        const societyId = societies[n % societies.length]!;
        const name = `Member ${n}`;
        const email = `member${n}@bench.example`;
        const phoneNumber = `+9198${String(n).padStart(8, '0')}`;
        const registered: NewEvent = {
          id: randomUUID(),
          type: 'UserRegistered',
          data: {
            userId: memberId,
            name,
            email,
            phoneNumber,
            role: 'member',
            passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$bench$bench',
            societyId,
            trainer: null,
          },
        };
        const membership: NewEvent[] = [
          {
            id: randomUUID(),
            type: 'MemberOnboarded',
            data: {
              memberId,
              userId: memberId,
              name,
              email,
              phoneNumber,
              societyId,
              subscriptionId: null,
              onboardedBy: null,
              selfRegistered: true,
            },
          },
          {
            id: randomUUID(),
            type: n % 10 === 0 ? 'MemberRejected' : 'MemberApproved',
            data: {
              memberId,
              societyId,
              maker: null,
              checker: societies[0]!,
              checkerRole: 'society_admin',
              reason: n % 10 === 0 ? 'not a resident' : null,
            },
          },
          {
            id: randomUUID(),
            type: 'MemberProfileChanged',
            data: { memberId, changes: { name: `${name} (updated)` } },
          },
        ];
        await store.append(streams.user(memberId), [registered], { expectedRevision: 'no_stream' });
        await store.append(streams.member(memberId), membership, { expectedRevision: 'no_stream' });
        written += 1 + membership.length;
      }
    }),
  );
  return written;
};
