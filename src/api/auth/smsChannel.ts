import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/** Where text messages go. Providers plug in here; the default queues them in the outbox. */
export interface SmsChannel {
  send(to: string, body: string): Promise<void>;
}

/** The embedded default: the message waits in `notification_outbox` for the dispatcher. */
export const outboxSmsChannel = (knex: Knex): SmsChannel => ({
  send: async (to, body) => {
    await knex('notification_outbox').insert({ id: randomUUID(), channel: 'sms', recipient: to, body });
  },
});
