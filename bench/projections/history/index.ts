import { addDays, datesOfIsoWeek, isoWeekOf } from '../../../src/commands/schedules/isoWeek';
import { HISTORY_WEEKS, type Histories, type SocietyHistory } from './plan';
import { societyHistory } from './weeks';

/**
 * The history the projections benchmark rebuilds: whole societies living through HISTORY_WEEKS
 * weeks up to now, built in memory (pure, no I/O) and appended by seed.ts. Decisions come from a
 * PRNG seeded per society, so every run has the same shape (ids are random, counts are not).
 *
 * Per society (one society ≈ 2,500 events; 100,000 events ≈ 41 societies). The mix over a whole
 * history: bookings 35%, weekly-quota claims and releases 21%, billing 24%, unique-value claims
 * 7%, members and users 6.5%, classes 3%, trainers and trainer days 3%, the rest 1%.
 *
 * - setup (≈ 17%): the society (registered, details changed, a second admin granted), two admins,
 *   4 trainers (account, profile, availability), 3 plans, 8 weekly schedule templates (one
 *   changed, one added and removed), 32 members (email and phone claims, account, application,
 *   decision — 1 in 10 rejected —, some phones verified) each with a paid monthly or quarterly
 *   subscription.
 * - every week (≈ 10–14% each):
 *   - the next week's 8 classes from the templates (trainer-day claim, class, an activity for
 *     half of them) and the week's schedule record;
 *   - bookings (with their quota streams ≈ 56% of all events): each member with a live subscription books 0–3 of them (a
 *     weekly limit of 3, popular classes fill up and waitlist); per booking a weekly-quota claim
 *     and a confirmation or waitlist place; ≈ 8% canceled by the member (with the promotion of the
 *     waitlist's head in the same append, and the quota released); waitlists still queued when
 *     the class starts expire;
 *   - class changes: ≈ 8% rescheduled (trainer-day slot moved), 4% canceled with every booking,
 *     4% handed to another trainer, 3% renamed; attendance marked for every seat held when the
 *     class ran (85% present);
 *   - billing: subscriptions ending this week get an expiry notice, 90% are renewed
 *     (request, transaction-id claim, payment initiated, sometimes a status check, 5% failing
 *     once before a retry, completed, activated, invoice number, invoice), the rest expire;
 *     3% of purchases are refunded in full (subscription cancelled) and 3% in part (shortened);
 *   - two new applicants, a profile change or two, a trainer profile update now and then, an
 *     admin-scheduled notification; plans change and retire in some weeks.
 * - the current week so far: attendance for the classes that have run, late cancellations.
 *
 * The unique-value claims, invoice numbers and week records are handled by no read model: a
 * rebuild still reads them, as it would in production.
 */

export { HISTORY_WEEKS, type Histories, type PlannedAppend, type SocietyHistory } from './plan';
export { checkPayloads } from './seedEvents';

/**
 * Societies, each a whole history, until at least `targetEvents` events. Numbering starts at
 * `firstSociety`: names, emails and phone numbers derive from the number, so a log grown in steps
 * (bench:growth) continues where the last step stopped instead of claiming them twice.
 */
export const planHistories = (targetEvents: number, now: Date, firstSociety = 0): Histories => {
  const currentMonday = datesOfIsoWeek(isoWeekOf(now.toISOString().slice(0, 10)))[0]!;
  const firstMonday = addDays(currentMonday, -7 * HISTORY_WEEKS);
  const societies: SocietyHistory[] = [];
  let events = 0;
  while (events < targetEvents) {
    const history = societyHistory(firstSociety + societies.length, firstMonday, now);
    societies.push(history);
    events += history.flat().reduce((n, append) => n + append.events.length, 0);
  }
  return { societies, events, startsAt: new Date(`${firstMonday}T00:00:00Z`) };
};
