import type { Knex } from 'knex';
import type { Logger } from 'pino';
/** The settings the channels are chosen by (a slice of the service's configuration). */
export interface NotificationSettings {
  SMTP_URL?: string;
  SMTP_FROM: string;
  SMS_PROVIDER_URL?: string;
  SMS_PROVIDER_TOKEN?: string;
  NOTIFICATION_RETRY_BASE_SECONDS: number;
}
import { smtpEmailChannel } from './channels/smtpEmailChannel';
import { httpSmsChannel, logSmsChannel } from './channels/smsChannels';
import { NotificationDispatcher } from './dispatcher';

/** The dispatcher with the channels configuration picks: SMTP or logged email, HTTP or logged SMS. */
export const createNotificationDispatcher = (
  knex: Knex,
  config: NotificationSettings,
  logger: Logger,
): NotificationDispatcher =>
  new NotificationDispatcher(
    knex,
    {
      email: smtpEmailChannel({ smtpUrl: config.SMTP_URL, from: config.SMTP_FROM, logger }),
      sms: config.SMS_PROVIDER_URL
        ? httpSmsChannel({ url: config.SMS_PROVIDER_URL, token: config.SMS_PROVIDER_TOKEN })
        : logSmsChannel(logger),
    },
    logger,
    { retryBaseMs: config.NOTIFICATION_RETRY_BASE_SECONDS * 1000 },
  );
