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

interface LoadPart {
  readonly name: keyof BatchRows;
  /** A SELECT whose rows the load returns as a JSON array; `:name` values come from the batch's keys. */
  readonly sql: string;
  /** Whether the batch reads anything here: a part with nothing to read is left out of the statement. */
  readonly wanted: (keys: BatchKeys) => boolean;
}

/**
 * Working rows are locked as RowCache locks them: they are written back whole, so erasure
 * scrubbing one meanwhile must wait. Second-hand keys are followed in SQL from the rows they are
 * in (a told class's booked members and trainer, a told payment's payer), reading the tables
 * themselves so that each part stands alone and can be left out.
 */
const LOCK = 'FOR NO KEY UPDATE';

const LOAD_PARTS: readonly LoadPart[] = [
  {
    name: 'classes',
    sql: `SELECT * FROM :classesTable: WHERE id = ANY(:classes::uuid[]) ${LOCK}`,
    wanted: (k) => k.classes.size > 0,
  },
  {
    name: 'payments',
    sql: `SELECT * FROM :paymentsTable: WHERE id = ANY(:payments::uuid[]) ${LOCK}`,
    wanted: (k) => k.payments.size > 0,
  },
  {
    name: 'bookings',
    sql: `SELECT * FROM :bookingsTable: WHERE class_id = ANY(:classesTold::uuid[]) ${LOCK}`,
    wanted: (k) => k.classesTold.size > 0,
  },
  {
    name: 'members',
    sql: `SELECT * FROM :membersTable:
           WHERE id = ANY(:members::uuid[]
                    || ARRAY(SELECT member_id FROM :bookingsTable: WHERE class_id = ANY(:classesTold::uuid[]))
                    || ARRAY(SELECT member_id FROM :paymentsTable: WHERE id = ANY(:paymentsTold::uuid[])))
             ${LOCK}`,
    wanted: (k) => k.members.size > 0 || k.classesTold.size > 0 || k.paymentsTold.size > 0,
  },
  {
    // Apart from the members by id: an OR of the two would scan the table.
    name: 'societyMembers',
    sql: `SELECT * FROM :membersTable: WHERE society_id = ANY(:societiesTold::uuid[]) ${LOCK}`,
    wanted: (k) => k.societiesTold.size > 0,
  },
  {
    name: 'trainers',
    sql: `SELECT * FROM :trainersTable:
           WHERE id = ANY(:trainers::uuid[]
                    || ARRAY(SELECT trainer_id FROM :classesTable: WHERE id = ANY(:classesTold::uuid[])))
             ${LOCK}`,
    wanted: (k) => k.trainers.size > 0 || k.classesTold.size > 0,
  },
  {
    name: 'societies',
    sql: `SELECT * FROM :societiesTable: WHERE id = ANY(:societies::uuid[]) ${LOCK}`,
    wanted: (k) => k.societies.size > 0,
  },
  {
    name: 'users',
    sql: `SELECT * FROM :usersTable: WHERE id = ANY(:users::uuid[]) ${LOCK}`,
    wanted: (k) => k.users.size > 0,
  },
  {
    // Unlocked, as before: the dispatcher owns sent rows, and the write re-checks 'pending'.
    name: 'reminders',
    sql: `SELECT id, notification_type, recipient_kind, recipient_id, member_id, user_id, event_id,
                 society_id, email, phone_number, subject, body, scheduled_time, status, source_event_id
            FROM notifications
           WHERE event_id = ANY(:reminderClasses::uuid[]) AND notification_type = 'reminder'
             AND status = 'pending'`,
    wanted: (k) => k.reminderClasses.size > 0,
  },
  {
    // The societies the facts name, and those of the classes and payments they name: a superset
    // of the societies of the batch's webhook facts (the deliveries pick theirs).
    name: 'subscriptions',
    sql: `SELECT id, society_id, event_types FROM webhook_subscriptions
           WHERE active
             AND society_id = ANY(:webhookSocieties::uuid[]
                   || ARRAY(SELECT society_id FROM :classesTable: WHERE id = ANY(:classes::uuid[]))
                   || ARRAY(SELECT society_id FROM :paymentsTable: WHERE id = ANY(:payments::uuid[])))`,
    wanted: (k) => k.tellWebhooks,
  },
];

/**
 * Every row a batch reads, in ONE round trip: the load used to be a statement per table, then
 * the pending reminders, then the webhook subscriptions, each a round trip a live booking waited
 * for. Each wanted part is a CTE, aggregated to a JSON array in the one row answered.
 */
const loadStatement = (parts: readonly LoadPart[]): string => {
  const ctes = parts.map((p) => `"${p.name}" AS (${p.sql})`).join(',\n');
  const columns = parts.map((p) => `(SELECT coalesce(json_agg(r), '[]') FROM "${p.name}" r) AS "${p.name}"`);
  return `WITH ${ctes}\nSELECT ${columns.join(',\n')}`;
};

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
  const parts = LOAD_PARTS.filter((part) => part.wanted(keys));
  if (parts.length === 0) return NOTHING;
  const list = (set: Iterable<string>) => [...set];
  const { rows } = await trx.raw<{ rows: Partial<BatchRows>[] }>(loadStatement(parts), {
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
    webhookSocieties: list(keys.webhookSocieties),
  });
  return withDates({ ...NOTHING, ...rows[0] });
};
