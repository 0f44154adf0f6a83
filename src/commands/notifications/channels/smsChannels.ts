import type { Logger } from 'pino';
import type { SmsChannel } from './channels';

/** The embedded default: the text is logged (phone numbers masked), not sent. */
export const logSmsChannel = (logger: Logger): SmsChannel => ({
  send: async (sms) => {
    logger.info(
      { to: `…${sms.to.slice(-4)}`, messageId: sms.messageId, body: sms.body },
      'sms (log adapter)',
    );
  },
});

/**
 * A provider reached over HTTP: POST `{ to, body }` as JSON with an `Idempotency-Key` (our
 * message id) and a bearer token. Any 2xx is accepted; anything else, or no answer within
 * `timeoutMs`, is a failed attempt the dispatcher retries.
 */
export const httpSmsChannel = (options: { url: string; token?: string; timeoutMs?: number }): SmsChannel => ({
  send: async (sms) => {
    const response = await fetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': sms.messageId,
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: JSON.stringify({ to: sms.to, body: sms.body }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    if (!response.ok) throw new Error(`SMS provider answered ${response.status}`);
  },
});
