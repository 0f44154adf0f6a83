import { addDays, isoWeekOf } from '../../../src/commands/schedules/isoWeek';
import { streams } from '../../../src/events/streams';
import { HISTORY_WEEKS, type SocietyHistory } from './plan';
import { DAY_MS, SocietySim } from './simulation';
import { setUp } from './societies';
import { applyForMembership, changeProfile, updateTrainer } from './people';
import { buySubscription, changePlanPrice, createPlan, renewOrExpire, retirePlan } from './billing';
import { scheduleWeek } from './schedules';
import { changeClasses } from './classes';
import { memberCancellations, runClasses, takeBookings } from './bookings';
import { scheduleNotification } from './notifications';

/** A society's whole history: the setup, HISTORY_WEEKS live weeks, then the current week so far. */

export const societyHistory = (index: number, firstMonday: string, now: Date): SocietyHistory =>
  history(new SocietySim(index, firstMonday, now));

export const history = (society: SocietySim): SocietyHistory => {
  society.phase();
  setUp(society);
  for (let week = 0; week < HISTORY_WEEKS; week++) {
    society.phase();
    liveWeek(society, week);
  }
  society.phase();
  currentWeekSoFar(society);
  return society.phases;
};

/** Week `week` of the history: next week's classes and their bookings; this week's classes run. */
export const liveWeek = (society: SocietySim, week: number): void => {
  const monday = society.dateOf(week, 0);
  for (let i = 0; i < 2; i++) {
    const member = applyForMembership(society, 0.15);
    if (member.approved)
      buySubscription(society, member, society.plans[0]!, society.dateOf(week, 2 + i * 2), null);
  }
  if (society.chance(0.8)) changeProfile(society, society.pick(society.members));
  if (society.chance(0.4)) changeProfile(society, society.pick(society.members));
  for (const trainer of society.trainers) if (society.chance(0.1)) updateTrainer(society, trainer);
  if (week === 1) createPlan(society, 'Festival Offer', '999.00', 30);
  if (week === 2) changePlanPrice(society, society.plans[0]!, '1600.00');
  if (week === 4 && society.plans[2]) retirePlan(society, society.plans[2]);
  if (week === 3)
    society.append(
      streams.society(society.societyId),
      [
        {
          type: 'SocietyDetailsChanged',
          data: { societyId: society.societyId, changes: { location: `Sector ${society.index}, gate 2` } },
        },
      ],
      society.admins[0]!,
    );

  const next = scheduleWeek(society, week + 1);
  takeBookings(society, next, monday);
  memberCancellations(society, next, monday);
  changeClasses(society, next);
  scheduleNotification(society, next);
  runClasses(
    society,
    society.classesByWeek.get(isoWeekOf(monday)) ?? [],
    Date.parse(`${monday}T00:00:00Z`) + 7 * DAY_MS,
  );
  renewOrExpire(society, Date.parse(`${addDays(monday, 7)}T00:00:00Z`));
};

/** The part of the current week already behind us: classes that ran, a few late cancellations. */
export const currentWeekSoFar = (society: SocietySim): void => {
  const monday = society.dateOf(HISTORY_WEEKS, 0);
  const classes = society.classesByWeek.get(isoWeekOf(monday)) ?? [];
  runClasses(society, classes, society.now.getTime() - 60 * 60_000);
  const upcoming = classes.filter((c) => !c.canceled && Date.parse(c.startsAt) > society.now.getTime());
  memberCancellations(society, upcoming, society.now.toISOString().slice(0, 10));
};
