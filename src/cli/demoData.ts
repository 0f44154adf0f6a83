import { say } from './output';
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { fail } from './operatorServices';

const SOCIETIES = [
  {
    name: 'Green Park Residency',
    location: 'Sector 62, Noida',
    timezone: 'Asia/Kolkata',
    latitude: 28.62,
    longitude: 77.36,
  },
  {
    name: 'Lakeview Towers',
    location: 'Powai, Mumbai',
    timezone: 'Asia/Kolkata',
    latitude: 19.12,
    longitude: 72.9,
  },
  {
    name: 'Palm Meadows',
    location: 'Whitefield, Bengaluru',
    timezone: 'Asia/Kolkata',
    latitude: 12.97,
    longitude: 77.75,
  },
];
const FIRST = [
  'Asha',
  'Ravi',
  'Meera',
  'Kabir',
  'Neha',
  'Arjun',
  'Isha',
  'Vikram',
  'Tara',
  'Dev',
  'Anya',
  'Rohan',
];
const LAST = ['Rao', 'Iyer', 'Sharma', 'Khan', 'Das', 'Menon', 'Gupta', 'Nair'];
const CLASSES = [
  { name: 'Sunrise Yoga', class_type: 'yoga', start_time: '06:30', end_time: '07:30' },
  { name: 'Evening Zumba', class_type: 'dance', start_time: '18:30', end_time: '19:30' },
];

/** A realistic week through the public API of a running instance: nothing bypasses a rule. */
const seed = async (url: string, perSociety: number): Promise<void> => {
  const run = randomUUID().slice(0, 6);
  let phone = Math.floor(Math.random() * 9_000_000);
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const person = (role: string, extra: object, i: number) => ({
    role,
    name: `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`,
    email: `${role}.${i}.${run}@demo.example`,
    phone_number: `+9197${String(phone++).padStart(8, '0')}`,
    password: 'demo passphrase 2026',
    ...extra,
  });
  const days = Array.from({ length: 7 }, (_, d) =>
    new Date(Date.now() + (d + 1) * 86_400_000).toISOString().slice(0, 10),
  );
  for (const [s, society] of SOCIETIES.entries()) {
    const admin = (await call('POST', '/auth/signup', person('society_admin', {}, s * 100))) as {
      token: string;
    };
    const created = (await call(
      'POST',
      '/societies',
      { ...society, name: `${society.name} ${run}` },
      admin.token,
    )) as { id: string };
    const plan = (await call(
      'POST',
      '/subscriptions',
      {
        society_id: created.id,
        name: 'Monthly unlimited',
        price: '999.00',
        currency: 'INR',
        duration_in_days: 30,
      },
      admin.token,
    )) as { id: string };
    const classIds: string[] = [];
    for (const date of days)
      for (const c of CLASSES)
        classIds.push(
          (
            (await call(
              'POST',
              '/events',
              { ...c, society_id: created.id, date, max_members: 6 },
              admin.token,
            )) as { id: string }
          ).id,
        );
    for (let m = 0; m < perSociety; m++) {
      const signup = (await call(
        'POST',
        '/auth/signup',
        person('member', { society_id: created.id }, s * 100 + m + 1),
      )) as {
        token: string;
        user: { id: string };
      };
      const id = signup.user.id;
      if (m === perSociety - 1) {
        await call(
          'POST',
          `/members/${id}/status`,
          { status: 'rejected', reason: 'not a resident' },
          admin.token,
        );
        continue;
      }
      await call('POST', `/members/${id}/status`, { status: 'approved' }, admin.token);
      const subscribed = (await call(
        'POST',
        `/members/${id}/subscribe`,
        { subscription_id: plan.id },
        admin.token,
      )) as {
        amount_due: string;
      };
      await call(
        'POST',
        '/payments',
        {
          member_id: id,
          subscription_id: plan.id,
          amount: subscribed.amount_due,
          transaction_id: `demo_${randomUUID()}`,
        },
        admin.token,
      );
      const picks = [...classIds].sort(() => Math.random() - 0.5).slice(0, 2 + (m % 3));
      for (const [i, classId] of picks.entries()) {
        const booking = (await call('POST', '/bookings', { event_id: classId }, signup.token)) as {
          id: string;
        };
        if (i === 0 && m % 4 === 0) await call('DELETE', `/bookings/${booking.id}`, undefined, signup.token);
      }
    }
    say(
      `${society.name} ${run}: ${perSociety} members, ${classIds.length} classes — admin ${person('society_admin', {}, s * 100).email}`,
    );
  }
};

export const registerDemoDataCommand = (program: Command): void => {
  program
    .command('demo-data')
    .description(
      'load a realistic week (3 societies, members, plans, payments, classes, bookings) into a running instance',
    )
    .option('--url <url>', 'the running API', 'http://localhost:3000')
    .option('--members <n>', 'members per society', '10')
    .action(async (o: { url: string; members: string }) => {
      try {
        await seed(o.url.replace(/\/$/, ''), Math.max(2, Number(o.members)));
        say('demo data loaded; every admin’s password is "demo passphrase 2026"');
      } catch (error) {
        fail(
          `demo-data stopped: ${error instanceof Error ? error.message : String(error)} (is the service running at ${o.url}?)`,
        );
      }
    });
};
