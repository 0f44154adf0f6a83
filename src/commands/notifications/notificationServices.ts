import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import { smtpEmailChannel } from './channels/smtpEmailChannel';
import { httpSmsChannel, logSmsChannel } from './channels/smsChannels';
import { NotificationDispatcher } from './dispatcher';

/** The dispatcher with the channels configuration picks: SMTP or logged email, HTTP or logged SMS. */
export const createNotificationDispatcher = (
  knex: Knex,
  config: Config,
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
