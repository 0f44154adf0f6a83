import { randomUUID } from 'node:crypto';

/**
 * A realistic dataset, made through the public API as users would make it: societies with their
 * admin and a yearly plan; members onboarded by the admin, approved by a super_admin, subscribed
 * and paid; a few members with accounts of their own (for member reads); classes over several
 * weeks. Admins book and pay on members' behalf, as the spec lets them.
 */
export interface SeedShape {
  societies: number;
  /** Subscribed members per society: they book. */
  members: number;
  /** Approved members per society with a subscription awaiting payment: the payment scenario pays it. */
  payers: number;
  /** Weeks of classes; five classes a week per society (one per weekday). */
  weeks: number;
}

export interface Seeded {
  societies: {
    id: string;
    adminToken: string;
    planId: string;
    classIds: string[];
    /** A member with an account of their own, subscribed. */
    member: { id: string; token: string };
  }[];
  /** (admin, class, member) triples that stay inside the weekly limit: five per member per week. */
  bookings: { token: string; classId: string; memberId: string }[];
  payments: { token: string; memberId: string; planId: string }[];
}

export const PRICE = '1200.00';

export const api = async (
  base: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
};

const expectOk = async (
  call: Promise<{ status: number; body: Record<string, unknown> }>,
  what: string,
): Promise<Record<string, unknown>> => {
  const res = await call;
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

let phoneSeq = 0;
const phone = () =>
  `+9197${String(Date.now() % 10_000).padStart(4, '0')}${String(phoneSeq++).padStart(4, '0')}`;

/** Society-local dates of the weekdays of `weeks` weeks, starting next Monday. */
const weekdays = (weeks: number): string[][] => {
  const monday = new Date();
  monday.setUTCHours(0, 0, 0, 0);
  monday.setUTCDate(monday.getUTCDate() + ((8 - monday.getUTCDay()) % 7 || 7));
  return Array.from({ length: weeks }, (_, w) =>
    Array.from({ length: 5 }, (_, d) => {
      const day = new Date(monday);
      day.setUTCDate(monday.getUTCDate() + w * 7 + d);
      return day.toISOString().slice(0, 10);
    }),
  );
};

/** Runs `fn` over `items`, `width` at a time. */
const inBatches = async <T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> => {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width)
    out.push(...(await Promise.all(items.slice(i, i + width).map(fn))));
  return out;
};

export const seed = async (
  base: string,
  root: { email: string; password: string },
  shape: SeedShape,
): Promise<Seeded> => {
  const rootToken = (await expectOk(api(base, 'POST', '/api/v1/auth/login', undefined, root), 'login'))
    .token as string;
  const days = weekdays(shape.weeks);
  const seeded: Seeded = { societies: [], bookings: [], payments: [] };

  for (let s = 0; s < shape.societies; s++) {
    const admin = await expectOk(
      api(base, 'POST', '/api/v1/auth/signup', undefined, {
        role: 'society_admin',
        name: `Admin ${s}`,
        email: `admin-${randomUUID()}@example.com`,
        phone_number: phone(),
        password: 'bench passphrase',
      }),
      'admin signup',
    );
    const adminToken = admin.token as string;
    const society = await expectOk(
      api(base, 'POST', '/api/v1/societies', adminToken, {
        name: `Bench Society ${s} ${randomUUID().slice(0, 8)}`,
        location: 'Sector 62, Noida',
        timezone: 'Asia/Kolkata',
        max_members_per_event: 30,
        capacity: 10_000,
      }),
      'society',
    );
    const societyId = society.id as string;
    const plan = await expectOk(
      api(base, 'POST', '/api/v1/subscriptions', adminToken, {
        society_id: societyId,
        name: 'Yearly',
        price: PRICE,
        currency: 'INR',
        duration_in_days: 365,
      }),
      'plan',
    );
    const planId = plan.id as string;

    const subscribeAndMaybePay = async (memberId: string, by: string, pay: boolean) => {
      await expectOk(
        api(base, 'POST', `/api/v1/members/${memberId}/subscribe`, by, { subscription_id: planId }),
        'subscribe',
      );
      if (pay)
        await expectOk(
          api(base, 'POST', '/api/v1/payments', by, {
            member_id: memberId,
            subscription_id: planId,
            amount: PRICE,
            transaction_id: `txn_${randomUUID()}`,
          }),
          'payment',
        );
    };
    const onboardApproved = async (i: number) => {
      const member = await expectOk(
        api(base, 'POST', '/api/v1/members', adminToken, {
          name: `Member ${s}-${i}`,
          email: `member-${randomUUID()}@example.com`,
          phone_number: phone(),
          society_id: societyId,
        }),
        'onboard',
      );
      const id = member.id as string;
      // Maker-checker: the admin onboarded, so another admin (here the super_admin) approves.
      await expectOk(
        api(base, 'POST', `/api/v1/members/${id}/status`, rootToken, { status: 'approved' }),
        'approve',
      );
      return id;
    };

    const bookers = await inBatches(
      Array.from({ length: shape.members }, (_, i) => i),
      8,
      async (i) => {
        const id = await onboardApproved(i);
        await subscribeAndMaybePay(id, adminToken, true);
        return id;
      },
    );
    const payers = await inBatches(
      Array.from({ length: shape.payers }, (_, i) => shape.members + i),
      8,
      async (i) => {
        const id = await onboardApproved(i);
        await subscribeAndMaybePay(id, adminToken, false);
        return id;
      },
    );

    const own = await expectOk(
      api(base, 'POST', '/api/v1/auth/signup', undefined, {
        role: 'member',
        name: `Own account ${s}`,
        email: `own-${randomUUID()}@example.com`,
        phone_number: phone(),
        password: 'bench passphrase',
        society_id: societyId,
      }),
      'member signup',
    );
    const ownId = (own.user as { id: string }).id;
    await expectOk(
      api(base, 'POST', `/api/v1/members/${ownId}/status`, adminToken, { status: 'approved' }),
      'approve own',
    );
    await subscribeAndMaybePay(ownId, own.token as string, true);

    const classIds = await inBatches(
      days.flatMap((week, w) => week.map((date, d) => ({ date, w, d }))),
      8,
      async ({ date, w, d }) =>
        (
          await expectOk(
            api(base, 'POST', '/api/v1/events', adminToken, {
              name: `Yoga week ${w} day ${d}`,
              society_id: societyId,
              class_type: 'yoga',
              date,
              start_time: '07:00',
              end_time: '08:00',
              max_members: 30,
            }),
            'class',
          )
        ).id as string,
    );

    seeded.societies.push({
      id: societyId,
      adminToken,
      planId,
      classIds,
      member: { id: ownId, token: own.token as string },
    });
    // Week-major order, so concurrent bookings spread over many classes, not one hot class.
    for (let w = 0; w < shape.weeks; w++)
      for (const memberId of bookers)
        for (let d = 0; d < 5; d++)
          seeded.bookings.push({ token: adminToken, classId: classIds[w * 5 + d]!, memberId });
    for (const memberId of payers) seeded.payments.push({ token: adminToken, memberId, planId });
  }
  return seeded;
};
