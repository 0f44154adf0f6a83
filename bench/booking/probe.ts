import { startBenchServer } from '../support/postgresServer';
import { seedSociety, startService } from './world';
import { BookingCommands } from '../../src/commands/booking/bookingCommands';
import { subscriptionEligibility } from '../../src/commands/billing/subscriptionEligibility';
import { randomUUID } from 'node:crypto';

const main = async () => {
  const server = await startBenchServer({ fsync: 'off', synchronous_commit: 'off' });
  const service = await startService(await server.createDatabase('probe'));
  const society = await seedSociety(service);
  const [c1, c2] = await society.classes([{ day: 1, hour: 5, maxMembers: 20 }, { day: 2, hour: 5, maxMembers: 20 }]);
  const members = await society.members(200);
  const bookings = new BookingCommands(service.commands, subscriptionEligibility(service.commands));
  let t0 = performance.now();
  const outs = await Promise.all(members.map((m) => bookings.book({ bookingId: randomUUID(), classId: c1!, memberId: m, bookedBy: null }, { commandId: randomUUID(), commandType: 'BookClass' })));
  let t1 = performance.now();
  await service.waiter.waitFor(outs.map((o) => o.position!).sort((a, b) => (a.commit < b.commit ? 1 : -1))[0]!, 30000);
  console.log(`commands: ${(t1 - t0).toFixed(0)} ms; read side after: ${(performance.now() - t1).toFixed(0)} ms`);
  t0 = performance.now();
  console.log('HTTP_START', Math.round((performance.timeOrigin + t0) * 1000));
  const res = await Promise.all(members.map(async (m) => { const s = performance.now(); const r = await society.book(c2!, m); return [r.status, performance.now() - s] as const; }));
  t1 = performance.now();
  console.log('HTTP_END', Math.round((performance.timeOrigin + t1) * 1000));
  const pr = ((globalThis as any).__probe as number[][]).slice(-200);
  for (const i of [0, 1, 2]) { const v = pr.map((x) => x[i]!).sort((a, b) => a - b); console.log(`phase ${i}: p50 ${v[100]!.toFixed(0)} p99 ${v[197]!.toFixed(0)}`); }
  const lat = res.map((r) => r[1]).sort((a, b) => a - b);
  console.log(`http: ${(t1 - t0).toFixed(0)} ms; p50 ${lat[100]!.toFixed(0)} p99 ${lat[197]!.toFixed(0)}`);
  await service.close();
  await server.stop();
};
void main();
