import { streams } from '../../../src/events/streams';
import { addDays } from '../../../src/commands/schedules/isoWeek';
import { TIME_ZONE, type SocietySim } from './simulation';
import { addTrainer, applyForMembership, registerUser } from './people';
import { buySubscription, createPlan } from './billing';
import { addTemplates } from './schedules';

/** The society's setup (phase 0): itself, its admins and trainers, plans, templates and first members. */

export const setUp = (society: SocietySim): void => {
  const { societyId } = society;
  const day0 = society.dateOf(0, 0);
  const name = `Bench Society ${society.index}`;
  for (const [i, adminId] of society.admins.entries())
    registerUser(society, adminId, 'society_admin', `Admin ${i}`);
  society.claimUnique(streams.uniqueSocietyName(name.toLowerCase()), societyId, 'society-name');
  society.append(
    streams.society(societyId),
    [
      {
        type: 'SocietyRegistered',
        data: {
          societyId,
          registeredBy: society.admins[0]!,
          name,
          location: `Sector ${society.index}, Bengaluru`,
          maxMembersPerEvent: 20,
          capacity: 400,
          timezone: TIME_ZONE,
          latitude: 12.9 + society.index / 1000,
          longitude: 77.6,
        },
      },
    ],
    society.admins[0]!,
  );
  society.append(
    streams.society(societyId),
    [{ type: 'SocietyDetailsChanged', data: { societyId, changes: { capacity: 500 } } }],
    society.admins[0]!,
  );
  society.append(
    streams.society(societyId),
    [
      {
        type: 'SocietyAdminGranted',
        data: { societyId, userId: society.admins[1]!, grantedBy: society.admins[0]! },
      },
    ],
    society.admins[0]!,
  );
  for (let i = 0; i < 4; i++) addTrainer(society, i);
  createPlan(society, 'Monthly', '1500.00', 30);
  createPlan(society, 'Quarterly', '4000.00', 90);
  addTemplates(society);
  for (let i = 0; i < 32; i++) {
    const member = applyForMembership(society, 0.1);
    if (member.approved) {
      // Joined some time before the history starts, so renewals fall across its weeks.
      const paidDay = addDays(day0, -1 - Math.floor(society.random() * 29));
      buySubscription(society, member, society.plans[society.chance(0.8) ? 0 : 1]!, paidDay, null);
    }
  }
};
