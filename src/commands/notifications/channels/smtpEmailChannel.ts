import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { EmailChannel } from './channels';

/**
 * Email through nodemailer: over SMTP when `smtpUrl` is set (e.g. `smtps://user:pass@host:465`),
 * otherwise the embedded default, nodemailer's JSON transport, which builds the message and logs
 * it instead of sending. The Message-ID is ours, derived from the notification id.
 */
export const smtpEmailChannel = (options: {
  smtpUrl?: string;
  from: string;
  logger: Logger;
}): EmailChannel => {
  const transport = options.smtpUrl
    ? nodemailer.createTransport(options.smtpUrl)
    : nodemailer.createTransport({ jsonTransport: true });
  return {
    send: async (email) => {
      const info = await transport.sendMail({
        from: options.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        messageId: email.messageId,
      });
      if (!options.smtpUrl)
        options.logger.info(
          { email: (info as { message?: string }).message },
          'email (no SMTP_URL: logged, not sent)',
        );
    },
    close: () => transport.close(),
  };
};
