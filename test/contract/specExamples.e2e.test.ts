import { writeFileSync } from 'node:fs';
import { allExamples } from '../../src/api/openapi/examples';
import { knownGaps } from './knownGaps';
import { runExample } from './runExample';
import { startContractWorld, stopContractWorld, type ContractWorld } from './contractWorld';

/**
 * Every request/response example of the functional design, sent as documented from the role it
 * names. Examples listed in knownGaps must still fall short (so a closed gap is noticed and its
 * line removed); every other example must be honoured: the status, and every documented field
 * with its documented JSON type.
 *
 * CONTRACT_REPORT=<file> writes each example's shortfalls there, to refresh knownGaps.
 */
jest.setTimeout(120_000);

let world: ContractWorld;
const report: Record<string, string[]> = {};
beforeAll(async () => {
  world = await startContractWorld();
});
afterAll(async () => {
  if (process.env.CONTRACT_REPORT)
    writeFileSync(process.env.CONTRACT_REPORT, JSON.stringify(report, null, 2));
  await stopContractWorld(world);
});

describe('the documented examples', () => {
  it('have unique names, and every known gap names one of them', () => {
    const names = allExamples.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(knownGaps).filter((name) => !names.includes(name))).toEqual([]);
  });

  it.each(allExamples.map((example) => [example.name, example] as const))('%s', async (name, example) => {
    const shortfalls = await runExample(world, example);
    report[name] = shortfalls;
    if (knownGaps[name] !== undefined) {
      if (shortfalls.length === 0)
        throw new Error(`"${name}" is honoured now: remove it from test/contract/knownGaps.ts`);
    } else {
      expect(shortfalls).toEqual([]);
    }
  });
});
