import type { Knex } from 'knex';
import type { ProjectionContext } from '../engine/projection';
import type { WebhookSubscription } from '../webhooks/webhookFanout';
import type { OutboxRow } from './outbox';
import type { BatchKeys } from './workingKeys';
import type {
  BookingRow,
  ClassRow,
  MemberRow,
  PaymentRow,
  SocietyRow,
  TrainerRow,
  UserRow,
} from './workingTables';

/** Everything a batch reads before it folds its facts, as one load found it. */
export interface BatchRows {
  readonly societies: SocietyRow[];
  readonly users: UserRow[];
  /** By id (the facts' members, the told classes' booked members, the told payments' payers)… */
  readonly members: MemberRow[];
  /** …and the members of the societies told of a new class. */
  readonly societyMembers: MemberRow[];
  readonly trainers: TrainerRow[];
  readonly classes: ClassRow[];
  readonly bookings: BookingRow[];
  readonly payments: PaymentRow[];
  /** Pending reminders of the classes whose reminders the batch cancels or moves. */
  readonly reminders: OutboxRow[];
  /** Active webhooks of every society a fact of the batch can belong to. */
  readonly subscriptions: WebhookSubscription[];
}

/**
 * Every row a batch reads, in ONE round trip (the load used to be a statement per table, then the
 * pending reminders, then the webhook subscriptions — each a round trip a live booking waited
 * for). Second-hand keys follow in SQL the rows they are in: a told class's booked members and
 * trainer, a told payment's payer. Working rows are locked as RowCache locks them (FOR NO KEY
 * UPDATE: they are written back whole, so erasure scrubbing one meanwhile must wait); members by
 * id and by society are two CTEs because an OR of the two would scan the table. The reminders and
 * the subscriptions are read unlocked, as before. An empty key list costs an index probe.
 */
const LOAD_BATCH = `
  WITH classes AS (
         SELECT * FROM :classesTable: WHERE id = ANY(:classes::uuid[]) FOR NO KEY UPDATE),
       payments AS (
         SELECT * FROM :paymentsTable: WHERE id = ANY(:payments::uuid[]) FOR NO KEY UPDATE),
       bookings AS (
         SELECT * FROM :bookingsTable: WHERE class_id = ANY(:classesTold::uuid[]) FOR NO KEY UPDATE),
       members AS (
         SELECT * FROM :membersTable:
          WHERE id = ANY(:members::uuid[] || ARRAY(SELECT member_id FROM bookings)
                   || ARRAY(SELECT member_id FROM payments WHERE id = ANY(:paymentsTold::uuid[])))
            FOR NO KEY UPDATE),
       society_members AS (
         SELECT * FROM :membersTable: WHERE society_id = ANY(:societiesTold::uuid[]) FOR NO KEY UPDATE),
       trainers AS (
         SELECT * FROM :trainersTable:
          WHERE id = ANY(:trainers::uuid[]
                   || ARRAY(SELECT trainer_id FROM classes WHERE id = ANY(:classesTold::uuid[])))
            FOR NO KEY UPDATE),
       societies AS (
         SELECT * FROM :societiesTable: WHERE id = ANY(:societies::uuid[]) FOR NO KEY UPDATE),
       users AS (
         SELECT * FROM :usersTable: WHERE id = ANY(:users::uuid[]) FOR NO KEY UPDATE),
       reminders AS (
         SELECT id, notification_type, recipient_kind, recipient_id, member_id, user_id, event_id,
                society_id, email, phone_number, subject, body, scheduled_time, status, source_event_id
           FROM notifications
          WHERE event_id = ANY(:reminderClasses::uuid[]) AND notification_type = 'reminder'
            AND status = 'pending'),
       subscriptions AS (
         SELECT id, society_id, event_types FROM webhook_subscriptions
          WHERE :tellWebhooks::boolean AND active
            AND society_id = ANY(:webhookSocieties::uuid[] || ARRAY(SELECT society_id FROM classes)
                                 || ARRAY(SELECT society_id FROM payments)))
  SELECT (SELECT coalesce(json_agg(r), '[]') FROM classes r) AS classes,
         (SELECT coalesce(json_agg(r), '[]') FROM payments r) AS payments,
         (SELECT coalesce(json_agg(r), '[]') FROM bookings r) AS bookings,
         (SELECT coalesce(json_agg(r), '[]') FROM members r) AS members,
         (SELECT coalesce(json_agg(r), '[]') FROM society_members r) AS "societyMembers",
         (SELECT coalesce(json_agg(r), '[]') FROM trainers r) AS trainers,
         (SELECT coalesce(json_agg(r), '[]') FROM societies r) AS societies,
         (SELECT coalesce(json_agg(r), '[]') FROM users r) AS users,
         (SELECT coalesce(json_agg(r), '[]') FROM reminders r) AS reminders,
         (SELECT coalesce(json_agg(r), '[]') FROM subscriptions r) AS subscriptions`;

const NOTHING: BatchRows = {
  societies: [],
  users: [],
  members: [],
  societyMembers: [],
  trainers: [],
  classes: [],
  bookings: [],
  payments: [],
  reminders: [],
  subscriptions: [],
};

const hasWork = (keys: BatchKeys): boolean =>
  keys.tellWebhooks ||
  keys.reminderClasses.size > 0 ||
  [keys.societies, keys.users, keys.members, keys.trainers, keys.classes, keys.payments].some(
    (set) => set.size > 0,
  ) ||
  keys.societiesTold.size > 0;

/**
 * Timestamps come through JSON as text: they are made Dates again, as pg loads them, so the fold
 * and the rows it writes see what they saw when each table had its own SELECT.
 */
const withDates = (rows: BatchRows): BatchRows => ({
  ...rows,
  classes: rows.classes.map((c) => ({ ...c, starts_at: new Date(c.starts_at) })),
  reminders: rows.reminders.map((r) => ({ ...r, scheduled_time: new Date(r.scheduled_time) })),
});

/** Loads what the batch reads in one statement, or sends nothing when it reads nothing. */
export const loadBatch = async (
  trx: Knex.Transaction,
  table: ProjectionContext['table'],
  keys: BatchKeys,
): Promise<BatchRows> => {
  if (!hasWork(keys)) return NOTHING;
  const list = (set: Iterable<string>) => [...set];
  const { rows } = await trx.raw<{ rows: BatchRows[] }>(LOAD_BATCH, {
    classesTable: table('notification_classes'),
    paymentsTable: table('notification_payments'),
    bookingsTable: table('notification_bookings'),
    membersTable: table('notification_members'),
    trainersTable: table('notification_trainers'),
    societiesTable: table('notification_societies'),
    usersTable: table('notification_users'),
    classes: list(keys.classes),
    payments: list(keys.payments),
    classesTold: list(keys.classesTold),
    members: list(keys.members),
    paymentsTold: list(keys.paymentsTold),
    societiesTold: list(keys.societiesTold),
    trainers: list(keys.trainers),
    societies: list(keys.societies),
    users: list(keys.users),
    reminderClasses: list(keys.reminderClasses),
    tellWebhooks: keys.tellWebhooks,
    webhookSocieties: list(keys.webhookSocieties),
  });
  return withDates(rows[0]!);
};
