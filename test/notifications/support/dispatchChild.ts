/**
 * A dispatcher in a process of its own, for the crash tests: it dispatches what is due and, at
 * the named point of the delivery to CRASH_EMAIL, says so on stdout and waits to be killed
 * (SIGKILL by PID: no cleanup, no outcome recorded — what a power cut does).
 */
import pino from 'pino';
import { smtpEmailChannel } from '../../../src/commands/notifications/channels/smtpEmailChannel';
import { logSmsChannel } from '../../../src/commands/notifications/channels/smsChannels';
import { NotificationDispatcher } from '../../../src/commands/notifications/dispatcher';
import type { ClaimedDelivery } from '../../../src/commands/notifications/deliveriesTable';
import { openDatabase } from '../../../src/platform/database';

const { DATABASE_URL, SMTP_URL, CRASH_AT, CRASH_EMAIL } = process.env;
const logger = pino({ level: 'silent' });
const database = openDatabase(DATABASE_URL!, { maxConnections: 4 });

const crashPoint = (point: string) => async (delivery: ClaimedDelivery) => {
  if (point !== CRASH_AT || delivery.channel !== 'email' || delivery.email !== CRASH_EMAIL) return;
  process.stdout.write(`${point} ${delivery.message_id}\n`);
  await new Promise(() => undefined);
};

void new NotificationDispatcher(
  database.knex,
  {
    email: smtpEmailChannel({ smtpUrl: SMTP_URL, from: 'ArcFit <no-reply@arcfit.app>', logger }),
    sms: logSmsChannel(logger),
  },
  logger,
  { hooks: { beforeSend: crashPoint('beforeSend'), afterSend: crashPoint('afterSend') } },
).dispatchDue();
