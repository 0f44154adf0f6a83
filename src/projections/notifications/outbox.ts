import type { NotificationType } from '../../events/notifications/notificationEvents';
import { notificationIdFor } from '../../events/notifications/notificationIds';
import type { Message } from './notificationMessages';
import type { Write } from './batchWrite';

/** Who a notification goes to, with the contact details known when the fact happened. */
export interface Recipient {
  readonly kind: 'member' | 'trainer' | 'user';
  readonly id: string;
  /** The account whose channel preferences and in-app inbox apply (null: none yet). */
  readonly userId: string | null;
  readonly email: string | null;
  readonly phoneNumber: string | null;
}

export interface NotificationDraft {
  readonly type: NotificationType;
  readonly recipient: Recipient;
  readonly classId?: string | null;
  readonly societyId?: string | null;
  readonly subject: string;
  readonly body: string;
  readonly scheduledTime: Date;
  readonly sourceEventId: string;
  /** Set when the id must not follow from (source, type, recipient), e.g. a hand-scheduled one. */
  readonly id?: string;
}

/** What one fact does to the outbox, in the order the fact does it. */
export type OutboxChange =
  | { readonly kind: 'queue'; readonly drafts: readonly NotificationDraft[] }
  /** A member's (or, without memberId, everyone's) pending reminders for a class no longer apply. */
  | { readonly kind: 'cancelReminders'; readonly classId: string; readonly memberId?: string }
  /** The class moved: its pending reminders move with it. */
  | {
      readonly kind: 'moveReminders';
      readonly classId: string;
      readonly scheduledTime: Date;
      readonly message: Message;
    };

export const queue = (drafts: readonly NotificationDraft[]): OutboxChange => ({ kind: 'queue', drafts });

/** The outbox columns the projection writes; created_at and updated_at are PostgreSQL's now(). */
export interface OutboxRow {
  id: string;
  notification_type: string;
  recipient_kind: Recipient['kind'];
  recipient_id: string;
  member_id: string | null;
  user_id: string | null;
  event_id: string | null;
  society_id: string | null;
  email: string | null;
  phone_number: string | null;
  subject: string;
  body: string;
  scheduled_time: Date;
  status: string;
  source_event_id: string | null;
}

/** Ids are derived from the fact, so a replayed fact finds its row already there. */
const rowOf = (d: NotificationDraft): OutboxRow => ({
  id: d.id ?? notificationIdFor(d.sourceEventId, d.type, d.recipient.id),
  notification_type: d.type,
  recipient_kind: d.recipient.kind,
  recipient_id: d.recipient.id,
  member_id: d.recipient.kind === 'member' ? d.recipient.id : null,
  user_id: d.recipient.userId,
  event_id: d.classId ?? null,
  society_id: d.societyId ?? null,
  email: d.recipient.email,
  phone_number: d.recipient.phoneNumber,
  subject: d.subject,
  body: d.body,
  scheduled_time: d.scheduledTime,
  status: 'pending',
  source_event_id: d.sourceEventId,
});

const COLUMNS =
  'id, notification_type, recipient_kind, recipient_id, member_id, user_id, event_id, society_id, ' +
  'email, phone_number, subject, body, scheduled_time, status, source_event_id';

/** A batch's new notices; a replayed fact's rows exist already and stay as they are. */
const INSERT_SLICE = 5_000;

const INSERT_QUEUED = `
  INSERT INTO notifications (${COLUMNS})
  SELECT ${COLUMNS} FROM json_populate_recordset(NULL::notifications, ?::json)
  ON CONFLICT (id) DO NOTHING`;

/**
 * Reminders queued before this batch that it canceled or moved. `status = 'pending'` again here:
 * the dispatcher owns sent and failed rows, and may have claimed one since the batch read it.
 */
const UPDATE_PENDING_REMINDERS = `
  UPDATE notifications n
     SET status = c.status, scheduled_time = c.scheduled_time, subject = c.subject, body = c.body,
         updated_at = now()
    FROM jsonb_to_recordset(?::jsonb) AS c(id uuid, status text, scheduled_time timestamptz, subject text, body text)
   WHERE n.id = c.id AND n.status = 'pending'`;

/**
 * The `notifications` outbox as one batch changes it. Cancels and moves of reminders must see the
 * reminders queued earlier in the same batch (a booking confirmed and canceled in one batch leaves
 * a canceled reminder), and must not touch those queued later. Rather than send the statements one
 * by one in order (a round trip per fact), the batch loads the pending reminders of the classes it
 * cancels or moves (with its working rows, batchLoad.ts), keeps them beside the rows it queues, applies the changes in memory in `$all`
 * order, and writes at the end: an INSERT of the new rows in their final state, an UPDATE of the
 * loaded ones it changed (parts of the batch's one write). Same rows as statement by statement, created_at and updated_at included
 * (both are the transaction's now()).
 */
export class OutboxBatch {
  /** Rows this batch queues, by id, in their state after the batch. */
  private readonly queued = new Map<string, OutboxRow>();
  /** Pending reminders that were in the outbox before the batch, by id. */
  private readonly loaded = new Map<string, OutboxRow>();
  private readonly changedLoaded = new Set<string>();
  /** Class id → its reminders, loaded and queued: what a cancel or a move looks through. */
  private readonly remindersByClass = new Map<string, OutboxRow[]>();

  /** The pending reminders the batch's load found for the classes whose reminders it changes. */
  rememberPending(rows: readonly OutboxRow[]): void {
    for (const row of rows) {
      this.loaded.set(row.id, row);
      this.remember(row);
    }
  }

  apply(changes: readonly OutboxChange[]): void {
    for (const change of changes) {
      if (change.kind === 'queue') for (const draft of change.drafts) this.queue(draft);
      else if (change.kind === 'cancelReminders')
        this.changeReminders(change.classId, change.memberId, (row) => {
          row.status = 'canceled';
        });
      else
        this.changeReminders(change.classId, undefined, (row) => {
          row.scheduled_time = change.scheduledTime;
          row.subject = change.message.subject;
          row.body = change.message.body;
        });
    }
  }

  /** The INSERTs of the queued rows and the UPDATE of the changed reminders; none when there are none. */
  writes(): Write[] {
    // In slices: one class announced to a large society is a notice per member, and a batch of
    // announcements can be hundreds of thousands of rows — one statement of them would not fit.
    const queued = [...this.queued.values()];
    const writes: Write[] = [];
    for (let at = 0; at < queued.length; at += INSERT_SLICE)
      writes.push({ sql: INSERT_QUEUED, bindings: [JSON.stringify(queued.slice(at, at + INSERT_SLICE))] });
    if (this.changedLoaded.size === 0) return writes;
    const changed = [...this.changedLoaded].map((id) => {
      const { status, scheduled_time, subject, body } = this.loaded.get(id)!;
      return { id, status, scheduled_time, subject, body };
    });
    return [...writes, { sql: UPDATE_PENDING_REMINDERS, bindings: [JSON.stringify(changed)] }];
  }

  /**
   * A row whose id is loaded already is left alone (ON CONFLICT DO NOTHING). One that exists but
   * was not loaded is no pending reminder of a class this batch changes, so nothing below touches
   * its in-memory copy and the INSERT skips it.
   */
  private queue(draft: NotificationDraft): void {
    const row = rowOf(draft);
    if (this.loaded.has(row.id) || this.queued.has(row.id)) return;
    this.queued.set(row.id, row);
    this.remember(row);
  }

  private remember(row: OutboxRow): void {
    if (row.notification_type !== 'reminder' || !row.event_id) return;
    const reminders = this.remindersByClass.get(row.event_id);
    if (reminders) reminders.push(row);
    else this.remindersByClass.set(row.event_id, [row]);
  }

  private changeReminders(classId: string, memberId: string | undefined, change: (row: OutboxRow) => void) {
    for (const row of this.remindersByClass.get(classId) ?? []) {
      if (row.status !== 'pending' || (memberId && row.member_id !== memberId)) continue;
      change(row);
      if (this.loaded.has(row.id)) this.changedLoaded.add(row.id);
    }
  }
}
