import { SIGNATURE_HEADER } from '../../src/commands/billing/gateway/webhookSignature';
import { allExamples } from '../../src/api/openapi/examples';
import { openapiDocument } from '../../src/api/openapi/openapiDocument';
import { exampleKey } from '../../src/api/openapi/specExamples';
import { routeBookOffline } from '../../src/docs/routeBookOffline';

// The document /api/v1/openapi.json serves, built without a database. Redocly lints it in CI
// (`npm run lint:openapi`); these are the promises client generators and readers rely on.
const document = openapiDocument(routeBookOffline().registry);

interface Operation {
  operationId?: string;
  description?: string;
  requestBody?: { content?: Record<string, { schema?: unknown; examples?: Record<string, unknown> }> };
}
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
  METHODS.flatMap((method) => {
    const operation = (item as Record<string, Operation | undefined>)[method];
    return operation ? [{ route: `${method.toUpperCase()} ${path}`, method, operation }] : [];
  }),
);
const operationAt = (route: string) => operations.find((o) => o.route === route)?.operation;

describe('the served OpenAPI document', () => {
  it('gives every operation an operationId, each a different one', () => {
    expect(operations.length).toBeGreaterThan(90);
    expect(operations.filter((o) => !o.operation.operationId).map((o) => o.route)).toEqual([]);
    const ids = operations.map((o) => o.operation.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('documents a request body on every POST, PUT and PATCH', () => {
    const writes = operations.filter((o) => ['post', 'put', 'patch'].includes(o.method));
    expect(writes.filter((o) => !o.operation.requestBody?.content).map((o) => o.route)).toEqual([]);
  });

  it('documents the payment webhook: its notice body and how a delivery is signed', () => {
    const webhook = operationAt('POST /api/v1/payments/webhook');
    expect(webhook?.requestBody?.content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/WebhookNotice',
    });
    expect(document.components?.schemas?.WebhookNotice).toMatchObject({
      required: expect.arrayContaining(['id', 'type', 'data']),
    });
    expect(webhook?.description).toContain(`\`${SIGNATURE_HEADER}\``);
    expect(webhook?.description).toContain('HMAC-SHA256');
    expect(webhook?.description).toContain('`<t>.<body>`');
    expect(webhook?.description).toMatch(/tolerance: \d+ s/i);
  });

  it('shows the spec’s example requests on the operations they call, placeholders filled', () => {
    const examples =
      operationAt('POST /api/v1/bookings')?.requestBody?.content?.['application/json']?.examples;
    expect(examples?.['bookings-book-an-event']).toMatchObject({
      summary: 'bookings: book an event',
      value: {
        member_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        event_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    });
    const shown = new Set(
      operations.flatMap((o) =>
        Object.keys(o.operation.requestBody?.content?.['application/json']?.examples ?? {}),
      ),
    );
    const withBody = allExamples.filter((e) => e.body !== undefined);
    expect(withBody.filter((e) => !shown.has(exampleKey(e.name))).map((e) => e.name)).toEqual([]);
    expect(JSON.stringify(document)).not.toMatch(/"\{(member_id|event_id|email|phone|date)\}"/);
  });
});
