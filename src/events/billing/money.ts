import { z } from 'zod';

/**
 * Money is exact: a decimal string with at most two places ("100", "99.5", "1200.00"), held as
 * integer minor units (paise, cents) in arithmetic and as numeric(12,2) in read tables. Never a
 * float: 0.1 + 0.2 is not 0.3, and an invoice must add up.
 */
export const DECIMAL_AMOUNT = /^(0|[1-9]\d{0,9})(\.\d{1,2})?$/;

export const moneyAmountSchema = z.string().regex(DECIMAL_AMOUNT);
export const currencySchema = z.string().regex(/^[A-Z]{3}$/);

/** "99.5" → 9950 */
export const toMinorUnits = (amount: string): number => {
  const match = DECIMAL_AMOUNT.exec(amount);
  if (!match) throw new RangeError(`not a decimal amount: ${amount}`);
  const fraction = (match[2] ?? '.').slice(1).padEnd(2, '0');
  return Number(match[1]) * 100 + Number(fraction);
};

/** 9950 → "99.50" */
export const fromMinorUnits = (minor: number): string => {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`not an amount: ${minor}`);
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
};

/** The one spelling an amount is stored and compared in: two decimals. */
export const normaliseAmount = (amount: string): string => fromMinorUnits(toMinorUnits(amount));
