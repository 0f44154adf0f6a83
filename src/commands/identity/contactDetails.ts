import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Emails compare case-insensitively: one account per mailbox, however it is typed. */
export const normaliseEmail = (email: string): string => email.normalize('NFKC').trim().toLowerCase();

/**
 * Phone numbers are claimed in E.164, so "+91 98765 43210" and "098765 43210" are one number.
 * Numbers without a country code are read as Indian (where the societies are).
 */
export const normalisePhone = (phone: string): string | undefined => {
  const parsed = parsePhoneNumberFromString(phone, 'IN');
  return parsed?.isValid() ? parsed.number : undefined;
};
