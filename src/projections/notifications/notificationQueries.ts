import type { Knex } from 'knex';

export interface NotificationRow {
  id: string;
  notification_type: string;
  recipient_kind: 'member' | 'trainer' | 'user';
  recipient_id: string;
  member_id: string | null;
  user_id: string | null;
  event_id: string | null;
  society_id: string | null;
  subject: string;
  body: string;
  scheduled_time: Date;
  status: 'pending' | 'sent' | 'failed' | 'canceled';
  created_at: Date;
  updated_at: Date;
}

export interface DeliveryRow {
  notification_id: string;
  channel: 'email' | 'sms' | 'in_app';
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  message_id: string;
  last_error: string | null;
  sent_at: Date | null;
}

/** Codes sent to verify a phone are never listed: they are secrets, and admins can read lists. */
const listable = (q: Knex.QueryBuilder) => q.whereNot('notification_type', 'phone_verification');

export const findNotification = async (knex: Knex, id: string): Promise<NotificationRow | undefined> =>
  listable(knex('notifications').where({ id })).first();

export const deliveriesOf = async (
  knex: Knex,
  ids: readonly string[],
): Promise<Map<string, DeliveryRow[]>> => {
  const rows: DeliveryRow[] = ids.length
    ? await knex('notification_deliveries').whereIn('notification_id', ids).orderBy('channel')
    : [];
  const byId = new Map<string, DeliveryRow[]>();
  for (const row of rows) byId.set(row.notification_id, [...(byId.get(row.notification_id) ?? []), row]);
  return byId;
};

/** Someone's notifications, newest first: a member by member id, anyone by their user id. */
const addressedTo = (knex: Knex, recipientId: string) =>
  listable(
    knex('notifications').where((q) => q.where('recipient_id', recipientId).orWhere('user_id', recipientId)),
  );

export const listNotificationsFor = (
  knex: Knex,
  recipientId: string,
  page: { limit: number; before?: { createdAt: Date; id: string } },
): Promise<NotificationRow[]> =>
  addressedTo(knex, recipientId)
    .modify((q) =>
      page.before ? q.andWhereRaw('(created_at, id) < (?, ?)', [page.before.createdAt, page.before.id]) : q,
    )
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(page.limit);

export const countNotificationsByStatus = async (knex: Knex, recipientId: string) => {
  const rows: { status: NotificationRow['status']; count: string }[] = await addressedTo(knex, recipientId)
    .select('status')
    .count('* as count')
    .groupBy('status');
  const counts = { pending: 0, sent: 0, failed: 0, canceled: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
};

export interface PreferencesRow {
  email: boolean;
  sms: boolean;
  in_app: boolean;
  quiet_start: number | null;
  quiet_end: number | null;
  timezone: string | null;
}

export const findPreferences = (knex: Knex, userId: string): Promise<PreferencesRow | undefined> =>
  knex('notification_preferences').where({ user_id: userId }).first();

export const savePreferences = (knex: Knex, userId: string, row: PreferencesRow) =>
  knex('notification_preferences')
    .insert({ user_id: userId, ...row })
    .onConflict('user_id')
    .merge({ ...row, updated_at: knex.fn.now() });

/** The member as the notification API needs them: where they belong. */
export const memberSociety = async (knex: Knex, memberId: string): Promise<string | undefined> =>
  (await knex('notification_members').where({ id: memberId }).first('society_id'))?.society_id;

export const classSociety = async (
  knex: Knex,
  classId: string,
): Promise<{ society_id: string; timezone: string; status: string } | undefined> =>
  knex('notification_classes').where({ id: classId }).first('society_id', 'timezone', 'status');
