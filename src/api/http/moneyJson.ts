import { toMinorUnits } from '../../events/billing/money';
import { z } from '../openapi/zod';

/**
 * Money out, as the spec shows it: a JSON number (99.99). Arithmetic stays exact inside (integer
 * minor units, numeric(12,2) columns); only the answer is a number, and an amount of at most ten
 * integer digits and two decimals is exactly the decimal it prints as (well inside 2^53 / 100).
 */
export const moneyNumber = (amount: string | number): number =>
  typeof amount === 'number' ? amount : toMinorUnits(normalised(amount)) / 100;

/** "-12.50" is a refund's net; the sign is kept, the digits read exactly. */
const normalised = (amount: string): string => amount.trim().replace(/^-/, '');
const signed = (amount: string | number) =>
  typeof amount === 'string' && amount.trim().startsWith('-') ? -moneyNumber(amount) : moneyNumber(amount);

/** The OpenAPI/zod shape of an amount in an answer. */
export const moneyOut = z
  .number()
  .openapi({ example: 99.99, description: 'Amount in the currency’s major unit, exact to two decimals' });

/** For presenters: a decimal string from the database (numeric) as the spec's JSON number. */
export const asMoney = (amount: string | number | null | undefined): number | null =>
  amount === null || amount === undefined ? null : signed(amount);
