import request from 'supertest';
import type { ContractExample } from '../../src/api/openapi/contractExample';
import type { ContractWorld } from './contractWorld';
import { setScene } from './contractWorld';
import { fillPlaceholders } from '../../src/api/openapi/placeholders';
import { shapeMismatches } from './shape';

const statusMatches = (expected: ContractExample['expectedStatus'], actual: number) =>
  expected === '2xx' ? actual >= 200 && actual <= 299 : actual === expected;

/** A refusal in a few words: its status, problem type and detail. */
const describeAnswer = (res: request.Response) => {
  const body = res.body as { type?: string; detail?: string; title?: string } | undefined;
  const kind = body?.type ? String(body.type).split('/').pop() : undefined;
  return [kind, body?.detail ?? body?.title].filter(Boolean).join(': ') || JSON.stringify(res.body);
};

/**
 * Sends one documented example from its role in a scene of its own and lists how the answer
 * falls short of the design (empty: it is honoured).
 */
export const runExample = async (world: ContractWorld, example: ContractExample): Promise<string[]> => {
  let scene;
  try {
    scene = await setScene(world, example);
  } catch (error) {
    return [(error as Error).message];
  }
  try {
    const path = fillPlaceholders(example.path, scene.values);
    const method = example.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    let req = request(world.t.app)[method](`/api/v1${path}`);
    const caller = scene.caller(example.role);
    if (caller) req = req.set(...caller.auth);
    const res = await (example.body === undefined
      ? req
      : req.send(fillPlaceholders(example.body, scene.values) as object));
    if (!statusMatches(example.expectedStatus, res.status))
      return [`status ${res.status}, expected ${example.expectedStatus}: ${describeAnswer(res)}`];
    return shapeMismatches(example.responseShape, res.body);
  } finally {
    await scene.cleanup();
  }
};
