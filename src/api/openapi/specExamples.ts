import type { ContractExample } from './contractExample';
import type { OpenApiDocument } from './openapiDocument';
import { fillPlaceholders } from './placeholders';
import { API_BASE } from '../http/basePath';

/**
 * The functional spec's example requests, shown on the operations they call as named examples
 * of the request body. The contract suite sends the same examples (test/contract), so what the
 * document shows is what is tested.
 */

/** Fixed, plausible values for the examples' placeholders, so every build serves the same document. */
export const EXAMPLE_VALUES: Readonly<Record<string, string>> = {
  society_id: '3f6c2a1e-8b4d-4e7a-9c2f-5d1b7a9e0c41',
  member_id: '8a2d4f6b-1c3e-4a5b-9d7f-0e2c4a6b8d13',
  member_email: 'asha.rao@example.com',
  trainer_id: 'c5e7a9b1-3d5f-4b7c-8e9a-1b3d5f7a9c22',
  event_id: '1b3d5f7a-9c2e-4d6f-8a1b-3c5e7a9b1d34',
  booking_id: '7e9a1c3d-5f7b-4c9d-8e1f-3a5c7e9b1d45',
  subscription_id: '4c6e8a0b-2d4f-4e6a-9b8c-0d2e4f6a8b56',
  payment_id: '9d1f3b5c-7e9a-4b1c-8d3e-5f7a9b1c3d67',
  activity_id: '2e4a6c8d-0f2b-4d4e-9f6a-8b0c2d4e6f78',
  notification_id: '6a8c0e2f-4b6d-4f8a-9c0e-2f4b6d8a0c89',
  task_id: '8421',
  unknown_id: '5b7d9f1a-3c5e-4a7b-8d9f-1a3c5e7b9d01',
  email: 'ravi.menon@example.com',
  phone: '+919876543210',
  transaction_id: 'txn_3QfJ8kL2mN4pR6sT',
  date: '2030-03-04',
  date_time: '2030-03-03T12:00:00',
  instant: '2030-03-04T10:00:00Z',
};

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation = { requestBody?: unknown };

const segments = (path: string) => path.split('?')[0]!.split('/').filter(Boolean);
const isParameter = (segment: string) => /^\{\w+\}$/.test(segment);

/**
 * How well a documented path (`/api/v1/bookings/{id}`) fits an example's path
 * (`/bookings/{booking_id}`): undefined when it does not, else the number of literal segments
 * that agree, so `/bookings/event/{event_id}` prefers the literal `event` to a parameter.
 */
export const pathFit = (documented: string, example: string): number | undefined => {
  const ours = segments(documented);
  const theirs = segments(`${API_BASE}${example}`);
  if (ours.length !== theirs.length) return undefined;
  let literals = 0;
  for (const [i, segment] of ours.entries()) {
    if (isParameter(segment)) continue;
    if (segment !== theirs[i]) return undefined;
    literals += 1;
  }
  return literals;
};

/** The documented path an example calls, if the API has it. */
export const documentedPathOf = (paths: string[], example: ContractExample): string | undefined => {
  let best: { path: string; fit: number } | undefined;
  for (const path of paths) {
    const fit = pathFit(path, example.path);
    if (fit !== undefined && (!best || fit > best.fit)) best = { path, fit };
  }
  return best?.path;
};

/** `bookings: book an event` → `bookings-book-an-event`. */
export const exampleKey = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

interface JsonContent {
  examples?: Record<string, unknown>;
}

/** Why the operation at `method path` refuses a body as sent, or undefined when it accepts it. */
export type BodyRefusal = (method: string, path: string, body: unknown) => string | undefined;

const exampleEntry = (example: ContractExample, value: unknown, refusal: string | undefined) => ({
  summary: example.name,
  description:
    `From the functional spec (${example.section}); ids, emails, phones and dates are made up.` +
    (refusal ? ` This API refuses the body as written: ${refusal}.` : ''),
  value,
});

/**
 * A copy of the document with each example's request body on its operation's JSON body, the
 * ones the operation accepts first: Swagger UI fills "Try it out" with the first example.
 */
export const withSpecExamples = (
  document: OpenApiDocument,
  examples: readonly ContractExample[],
  refusalOf: BodyRefusal,
): OpenApiDocument => {
  const copy = structuredClone(document);
  const paths = Object.keys(copy.paths ?? {});
  const placed = examples.flatMap((example) => {
    const path = example.body === undefined ? undefined : documentedPathOf(paths, example);
    if (!path) return [];
    const method = example.method.toLowerCase() as Method;
    const operation = copy.paths?.[path]?.[method] as Operation | undefined;
    const content = (operation?.requestBody as { content?: Record<string, JsonContent> } | undefined)
      ?.content?.['application/json'];
    if (!content) return [];
    const value = fillPlaceholders(example.body, EXAMPLE_VALUES);
    const refusal = refusalOf(method, path, value);
    return [
      { content, key: exampleKey(example.name), entry: exampleEntry(example, value, refusal), refusal },
    ];
  });
  const acceptedFirst = [
    ...placed.filter((p) => p.refusal === undefined),
    ...placed.filter((p) => p.refusal !== undefined),
  ];
  for (const { content, key, entry } of acceptedFirst)
    content.examples = { ...content.examples, [key]: entry };
  return copy;
};
