import { randomUUID } from 'node:crypto';
import { streams } from '../../../src/events/streams';
import {
  CLASS_KINDS,
  PASSWORD_HASH,
  WEEKDAYS,
  type Member,
  type SocietySim,
  type Trainer,
} from './simulation';

/** Users, members and trainers: accounts, applications and decisions, profile changes. */

export const registerUser = (
  society: SocietySim,
  userId: string,
  role: 'member' | 'trainer' | 'society_admin',
  name: string,
) => {
  const n = society.people++;
  const email = `${role}${n}.s${society.index}@bench.example`;
  const phoneNumber = `+91${String(7_000_000_000 + society.index * 100_000 + n)}`;
  society.claimUnique(streams.uniqueEmail(email), userId, 'email');
  society.claimUnique(streams.uniquePhone(phoneNumber), userId, 'phone-number');
  society.append(streams.user(userId), [
    {
      type: 'UserRegistered',
      data: {
        userId,
        name,
        email,
        phoneNumber,
        role,
        passwordHash: PASSWORD_HASH,
        societyId: role === 'member' ? society.societyId : null,
        trainer:
          role === 'trainer'
            ? {
                specialization: ['fitness'],
                location: { address: 'Bengaluru', latitude: 12.97, longitude: 77.59 },
              }
            : null,
      },
    },
  ]);
  if (society.chance(0.5))
    society.append(streams.user(userId), [{ type: 'PhoneVerified', data: { userId, phoneNumber } }]);
  return { email, phoneNumber };
};

export const addTrainer = (society: SocietySim, i: number): void => {
  const trainerId = randomUUID();
  const name = `Trainer ${i} of ${society.index}`;
  const { email, phoneNumber } = registerUser(society, trainerId, 'trainer', name);
  const specialization = CLASS_KINDS.filter((_, k) => k % 4 === i % 4 || k === i).map(
    (k) => k.specialization,
  );
  society.append(streams.trainer(trainerId), [
    {
      type: 'TrainerProfileCreated',
      data: {
        trainerId,
        createdBy: null,
        name,
        email,
        phoneNumber,
        specialization: specialization.length ? specialization : ['fitness'],
        location: { address: `Studio ${i}, Bengaluru`, latitude: 12.97, longitude: 77.59 },
        maxClassesPerDay: 4,
      },
    },
  ]);
  society.append(streams.trainer(trainerId), [
    {
      type: 'TrainerAvailabilitySet',
      data: {
        trainerId,
        availability: {
          weekly: WEEKDAYS.map((weekday) => ({ weekday, start: 6 * 60, end: 21 * 60 })),
          slots: [],
          unavailable: [],
        },
      },
    },
  ]);
  society.trainers.push({ id: trainerId, name });
};

export const updateTrainer = (society: SocietySim, trainer: Trainer): void => {
  society.append(streams.trainer(trainer.id), [
    {
      type: 'TrainerProfileUpdated',
      data: { trainerId: trainer.id, changes: { maxClassesPerDay: 3 + Math.floor(society.random() * 3) } },
    },
  ]);
};

/** Self-registration (most) or an admin onboarding someone; then the admin's decision. */
export const applyForMembership = (society: SocietySim, rejectRate: number): Member => {
  const memberId = randomUUID();
  const name = `Member ${society.people} of ${society.index}`;
  const selfRegistered = society.chance(0.85);
  const contact = selfRegistered
    ? registerUser(society, memberId, 'member', name)
    : {
        email: `onboarded${society.people++}.s${society.index}@bench.example`,
        phoneNumber: `+91${String(8_000_000_000 + society.index * 100_000 + society.people)}`,
      };
  const member: Member = {
    id: memberId,
    userId: selfRegistered ? memberId : null,
    name,
    ...contact,
    approved: !society.chance(rejectRate),
    subscription: undefined,
  };
  const maker = selfRegistered ? null : society.admins[1]!;
  society.append(
    streams.member(memberId),
    [
      {
        type: 'MemberOnboarded',
        data: {
          memberId,
          userId: member.userId,
          societyId: society.societyId,
          name,
          email: member.email,
          phoneNumber: member.phoneNumber,
          subscriptionId: null,
          onboardedBy: maker,
          selfRegistered,
        },
      },
    ],
    maker,
  );
  society.append(
    streams.member(memberId),
    [
      {
        type: member.approved ? 'MemberApproved' : 'MemberRejected',
        data: {
          memberId,
          societyId: society.societyId,
          maker,
          checker: society.admins[0]!,
          checkerRole: 'society_admin',
          reason: member.approved ? null : 'not a resident of the society',
        },
      },
    ],
    society.admins[0]!,
  );
  society.members.push(member);
  return member;
};

export const changeProfile = (society: SocietySim, member: Member): void => {
  member.name = `${member.name.split(' (')[0]} (${Math.floor(society.random() * 100)})`;
  society.append(streams.member(member.id), [
    { type: 'MemberProfileChanged', data: { memberId: member.id, changes: { name: member.name } } },
  ]);
};
