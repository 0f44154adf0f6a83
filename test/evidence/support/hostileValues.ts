import fc from 'fast-check';

/**
 * Values a careless or hostile client sends. Each family is here because it has broken real
 * services: NUL and lone surrogates (PostgreSQL text and jsonb refuse them), numbers past 2^53 or
 * int4, dates that do not exist, time zones that are not IANA names, strings far past any limit.
 */

const sizedRepeat = (unit: string, max: number) => fc.nat({ max }).map((n) => unit.repeat(n + 1));

export const hostileStrings: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\uD800',
    'x\uDFFFy',
    '\u202Eevil',
    '\uFEFF',
    'null',
    'undefined',
    'NaN',
    'Infinity',
    '-0',
    '1e309',
    'true',
    '[]',
    '{}',
    "'; DROP TABLE events; --",
    '" OR 1=1 --',
    '<script>alert(1)</script>',
    '../../../etc/passwd',
    '%00',
    '%2e%2e%2f',
    '${jndi:ldap://127.0.0.1/a}',
    '{{7*7}}',
    '__proto__',
    'constructor',
    'İstanbul',
    'ǅ',
    '🧘‍♀️🕺🏽',
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  sizedRepeat('é', 5_000),
  sizedRepeat('🧘', 30_000),
  fc.constant('a'.repeat(120_000)),
);

export const hostileNumbers: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    -0,
    0.5,
    1.5,
    -2_147_483_649,
    2_147_483_648,
    2 ** 53 + 1,
    2 ** 63,
    1e308,
    -1e308,
    Number.MIN_VALUE,
    Number.MAX_SAFE_INTEGER,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

export const badDates: fc.Arbitrary<string> = fc.constantFrom(
  '2026-02-30',
  '2026-13-01',
  '2026-00-10',
  '0000-00-00',
  '0000-01-01',
  '9999-12-31',
  '+275760-09-13',
  '2026-1-1',
  '2026-03-29T02:30:00',
  '2026-03-02T25:00:00Z',
  '2026-03-02T10:00:00+25:00',
  '2026-03-29T02:30:00[Europe/London]',
  '1970-01-01T00:00:00Z',
  '2026-W10-1',
  'yesterday',
);

export const badTimes: fc.Arbitrary<string> = fc.constantFrom(
  '24:00',
  '23:60',
  '-1:00',
  '9:99 AM',
  '13:00 PM',
  '12:00 PM PM',
  '00:00 AM',
  '10:00:00.000000001',
  '10',
  '10:00 ZZ',
);

export const badTimeZones: fc.Arbitrary<string> = fc.constantFrom(
  'Mars/Phobos',
  'UTC+25',
  'Etc/GMT+99',
  'Asia/Kolkata ',
  'asia/kolkata',
  '../../etc/passwd',
  'America/New_York\u0000',
  'EST5EDT',
  '+05:30',
  'Z',
);

/** Keys a mass-assignment attack adds to a body. */
export const smuggledKeys: fc.Arbitrary<string> = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'id',
  'role',
  'status',
  'price',
  'amount',
  'society_id',
  'user_id',
  'member_id',
  'is_admin',
  'approved',
  'created_at',
  'version',
);

const nested: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.string({ maxLength: 10 }),
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('node'), { maxKeys: 3 }),
  ),
})).node;

/** Any hostile JSON value, whatever the field expected. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileStrings,
  hostileNumbers,
  badDates,
  badTimes,
  badTimeZones,
  fc.boolean(),
  fc.constant(null),
  nested,
);
