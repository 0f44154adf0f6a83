import type { ProjectionContext } from '../engine/projection';
import type { Instant } from '../engine/rowCache';
import type { BatchRows } from './batchLoad';
import type { NotificationFact } from './notificationFacts';
import type { Recipient } from './outbox';
import type { BatchKeys } from './workingKeys';
import type { Write } from './batchWrite';
import { WorkingRows } from './workingRows';

/**
 * The projection's own small tables (notification_societies … notification_payments): what the
 * notices need to know about recipients, classes, bookings and payments, kept here so they never
 * depend on how far another projection has got.
 */
export interface SocietyRow extends Record<string, unknown> {
  id: string;
  timezone: string;
}

export interface MemberRow extends Record<string, unknown> {
  id: string;
  user_id: string | null;
  society_id: string;
  status: string;
  name: string;
  email: string | null;
  phone_number: string | null;
}

export interface TrainerRow extends Record<string, unknown> {
  id: string;
  name: string;
  email: string | null;
  phone_number: string | null;
}

export interface UserRow extends Record<string, unknown> {
  id: string;
  role: string;
  name: string;
  email: string | null;
  phone_number: string | null;
}

export interface ClassRow extends Record<string, unknown> {
  id: string;
  society_id: string;
  name: string;
  /** A Date when read from the table; the fact's own text when written in this batch. */
  starts_at: Instant;
  timezone: string;
  trainer_id: string | null;
  status: string;
}

export interface BookingRow extends Record<string, unknown> {
  class_id: string;
  member_id: string;
  status: 'confirmed' | 'waitlisted' | 'canceled';
}

export interface PaymentRow extends Record<string, unknown> {
  id: string;
  member_id: string;
  society_id: string;
  plan_name: string;
  amount: string;
  currency: string;
}

/** What the notices read: the working tables as they stand after the facts folded so far. */
export interface WorkingView {
  member(id: string): Recipient | undefined;
  trainer(id: string): Recipient | undefined;
  class(id: string): ClassRow | undefined;
  payment(id: string): PaymentRow | undefined;
  societyTimezone(id: string): string | undefined;
  /** Members holding a seat (confirmed or waitlisted) in a class. */
  bookedMembers(classId: string): Recipient[];
  approvedMembers(societyId: string): Recipient[];
}

const memberRecipient = (row: MemberRow): Recipient => ({
  kind: 'member',
  id: row.id,
  userId: row.user_id,
  email: row.email,
  phoneNumber: row.phone_number,
});

/** Only the columns a change names (an absent one keeps its value). */
const definedColumns = <Row>(columns: Partial<Row>): Partial<Row> | undefined => {
  const defined = Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined));
  return Object.keys(defined).length > 0 ? (defined as Partial<Row>) : undefined;
};

const isKey = (id: string | null | undefined): id is string => typeof id === 'string';

/** The working tables for one batch: loaded once, folded over in memory, written once. */
export class WorkingTables implements WorkingView {
  private readonly societies: WorkingRows<SocietyRow>;
  private readonly users: WorkingRows<UserRow>;
  private readonly members: WorkingRows<MemberRow>;
  private readonly trainers: WorkingRows<TrainerRow>;
  private readonly classes: WorkingRows<ClassRow>;
  private readonly bookings: WorkingRows<BookingRow>;
  private readonly payments: WorkingRows<PaymentRow>;

  constructor({ table }: Pick<ProjectionContext, 'table'>) {
    this.societies = new WorkingRows(table('notification_societies'), ['id']);
    this.users = new WorkingRows(table('notification_users'), ['id']);
    this.members = new WorkingRows(table('notification_members'), ['id']);
    this.trainers = new WorkingRows(table('notification_trainers'), ['id']);
    this.classes = new WorkingRows(table('notification_classes'), ['id']);
    this.bookings = new WorkingRows(table('notification_bookings'), ['class_id', 'member_id']);
    this.payments = new WorkingRows(table('notification_payments'), ['id']);
  }

  /**
   * Takes in what the batch's load found. The keys asked for and not found are known absent,
   * second-hand ones (a told class's booked members and trainer, a told payment's payer) as the
   * load followed them from the rows they are in.
   */
  seed(keys: BatchKeys, found: BatchRows): void {
    this.classes.seed(keys.classes, found.classes);
    this.payments.seed(keys.payments, found.payments);
    this.bookings.seed([], found.bookings);
    const bookedMembers = found.bookings.map((b) => b.member_id);
    const payers = found.payments.filter((p) => keys.paymentsTold.has(p.id)).map((p) => p.member_id);
    this.members.seed([...keys.members, ...bookedMembers, ...payers], found.members);
    this.members.seed([], found.societyMembers);
    const classTrainers = found.classes.filter((c) => keys.classesTold.has(c.id)).map((c) => c.trainer_id);
    this.trainers.seed([...keys.trainers, ...classTrainers.filter(isKey)], found.trainers);
    this.societies.seed(keys.societies, found.societies);
    this.users.seed(keys.users, found.users);
  }

  /** The fact's change to its working table, as the per-event statements made it. */
  apply({ type, data }: NotificationFact): void {
    switch (type) {
      case 'SocietyRegistered':
        this.societies.insertIfAbsent({ id: data.societyId, timezone: data.timezone });
        return;
      case 'SocietyDetailsChanged':
        if (data.changes.timezone) this.societies.update(data.societyId, { timezone: data.changes.timezone });
        return;
      case 'UserRegistered':
        this.users.insertIfAbsent({
          id: data.userId,
          role: data.role,
          name: data.name,
          email: data.email,
          phone_number: data.phoneNumber,
        });
        return;
      case 'MemberOnboarded':
        this.members.insertIfAbsent({
          id: data.memberId,
          user_id: data.userId,
          society_id: data.societyId,
          status: 'pending',
          name: data.name,
          email: data.email,
          phone_number: data.phoneNumber,
        });
        return;
      case 'MemberProfileChanged': {
        const { name, email, phoneNumber } = data.changes;
        const changes = definedColumns<MemberRow>({ name, email, phone_number: phoneNumber });
        if (changes) this.members.update(data.memberId, changes);
        return;
      }
      case 'MemberApproved':
      case 'MemberRejected':
        this.members.update(data.memberId, { status: type === 'MemberApproved' ? 'approved' : 'rejected' });
        return;
      case 'TrainerProfileCreated':
        this.trainers.insertIfAbsent({
          id: data.trainerId,
          name: data.name,
          email: data.email,
          phone_number: data.phoneNumber,
        });
        return;
      case 'TrainerProfileUpdated': {
        const { name, email, phoneNumber } = data.changes;
        const changes = definedColumns<TrainerRow>({ name, email, phone_number: phoneNumber });
        if (changes) this.trainers.update(data.trainerId, changes);
        return;
      }
      case 'ClassScheduled':
        this.classes.insertIfAbsent({
          id: data.classId,
          society_id: data.societyId,
          name: data.name,
          starts_at: data.startsAt,
          timezone: data.timezone,
          trainer_id: data.trainerId,
          status: 'scheduled',
        });
        return;
      case 'ClassDetailsChanged':
        if (data.changes.name) this.classes.update(data.classId, { name: data.changes.name });
        return;
      case 'ClassRescheduled':
        this.classes.update(data.classId, { starts_at: data.startsAt, timezone: data.timezone });
        return;
      case 'TrainerAssignedToClass':
        this.classes.update(data.classId, { trainer_id: data.trainerId });
        return;
      case 'ClassCanceled':
        this.classes.update(data.classId, { status: 'canceled' });
        return;
      case 'PaymentInitiated':
        this.payments.insertIfAbsent({
          id: data.paymentId,
          member_id: data.memberId,
          society_id: data.societyId,
          plan_name: data.planName,
          amount: data.amount,
          currency: data.currency,
        });
        return;
      case 'BookingConfirmed':
      case 'BookingPromoted':
        this.bookings.put({ class_id: data.classId, member_id: data.memberId, status: 'confirmed' });
        return;
      case 'BookingWaitlisted':
        this.bookings.put({ class_id: data.classId, member_id: data.memberId, status: 'waitlisted' });
        return;
      case 'BookingCanceled':
        this.bookings.put({ class_id: data.classId, member_id: data.memberId, status: 'canceled' });
        return;
      default:
        return;
    }
  }

  /** The upserts of the tables this batch changed (none for a table it did not). */
  writes(): Write[] {
    return [
      this.societies,
      this.users,
      this.members,
      this.trainers,
      this.classes,
      this.bookings,
      this.payments,
    ].flatMap((rows) => rows.write() ?? []);
  }

  member(id: string): Recipient | undefined {
    const row = this.members.get(id);
    return row ? memberRecipient(row) : undefined;
  }

  trainer(id: string): Recipient | undefined {
    const row = this.trainers.get(id);
    // A trainer's account id is their trainer id (signup opens the profile under the user's id).
    return row
      ? { kind: 'trainer', id: row.id, userId: row.id, email: row.email, phoneNumber: row.phone_number }
      : undefined;
  }

  class(id: string): ClassRow | undefined {
    return this.classes.get(id);
  }

  payment(id: string): PaymentRow | undefined {
    return this.payments.get(id);
  }

  societyTimezone(id: string): string | undefined {
    return this.societies.get(id)?.timezone;
  }

  bookedMembers(classId: string): Recipient[] {
    const recipients: Recipient[] = [];
    for (const booking of this.bookings.where(
      (b) => b.class_id === classId && (b.status === 'confirmed' || b.status === 'waitlisted'),
    )) {
      const member = this.members.get(booking.member_id);
      if (member) recipients.push(memberRecipient(member));
    }
    return recipients;
  }

  approvedMembers(societyId: string): Recipient[] {
    return this.members
      .where((m) => m.society_id === societyId && m.status === 'approved')
      .map(memberRecipient);
  }
}
