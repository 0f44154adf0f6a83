import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import type { SmsChannel } from './smsChannel';

export const OTP_TTL_SECONDS = 300;
export const OTP_MAX_ATTEMPTS = 5;

export type OtpCheck = 'verified' | 'wrong-code' | 'expired' | 'too-many-attempts' | 'none-requested';

/**
 * Six-digit codes for phone verification, stored as keyed hashes (a database reader cannot
 * recover them), valid for five minutes and five tries. A new request replaces the old code.
 */
export const createPhoneOtp = (knex: Knex, sms: SmsChannel, pepper: string) => {
  const digest = (userId: string, code: string) =>
    createHmac('sha256', pepper).update(`${userId}:${code}`).digest();

  return {
    request: async (userId: string, phoneNumber: string): Promise<void> => {
      const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
      await knex('phone_otps')
        .insert({
          user_id: userId,
          phone_number: phoneNumber,
          code_hash: digest(userId, code).toString('hex'),
          expires_at: new Date(Date.now() + OTP_TTL_SECONDS * 1000),
          attempts: 0,
        })
        .onConflict('user_id')
        .merge();
      await sms.send(phoneNumber, `Your ArcFit verification code is ${code}. It expires in 5 minutes.`);
    },

    check: (userId: string, code: string): Promise<{ outcome: OtpCheck; phoneNumber?: string }> =>
      knex.transaction(async (trx) => {
        const row = await trx('phone_otps').where({ user_id: userId }).forUpdate().first();
        if (!row) return { outcome: 'none-requested' };
        if (row.attempts >= OTP_MAX_ATTEMPTS) return { outcome: 'too-many-attempts' };
        if (new Date(row.expires_at) <= new Date()) return { outcome: 'expired' };
        const matches = timingSafeEqual(Buffer.from(row.code_hash, 'hex'), digest(userId, code));
        if (!matches) {
          await trx('phone_otps')
            .where({ user_id: userId })
            .update({ attempts: row.attempts + 1 });
          return { outcome: 'wrong-code' };
        }
        await trx('phone_otps').where({ user_id: userId }).delete();
        return { outcome: 'verified', phoneNumber: row.phone_number };
      }),
  };
};

export type PhoneOtp = ReturnType<typeof createPhoneOtp>;
