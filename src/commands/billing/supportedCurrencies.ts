/**
 * The ISO 4217 currencies a plan may be priced in. Each has two minor units (paise, cents, fils),
 * which is what the money arithmetic assumes (see events/billing/money.ts): a zero- or
 * three-decimal currency (JPY, KWD) or a code that is no money at all (XXX, XTS) would be priced
 * wrong. Adding one here is a product decision; recorded events keep whatever they recorded.
 */
export const SUPPORTED_CURRENCIES = ['INR', 'USD', 'EUR', 'GBP', 'AED', 'SGD'] as const;

export type SupportedCurrency = (typeof SUPPORTED_CURRENCIES)[number];

export const DEFAULT_CURRENCY: SupportedCurrency = 'INR';

export const isSupportedCurrency = (code: string): code is SupportedCurrency =>
  (SUPPORTED_CURRENCIES as readonly string[]).includes(code);
