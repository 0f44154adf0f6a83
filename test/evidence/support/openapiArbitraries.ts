import fc from 'fast-check';
import { badDates, badTimes, hostileStrings, hostileValue, smuggledKeys } from './hostileValues';

/**
 * Requests generated from the live OpenAPI document, so a route added tomorrow is fuzzed
 * tomorrow without touching this file. Each field is mostly plausible (so requests reach the
 * handler and the database, where the interesting failures are) and sometimes hostile.
 */

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  example?: unknown;
  default?: unknown;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonSchema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  security?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface ApiOperation {
  method: string;
  path: string;
  /** Route names as in the permission matrix, e.g. `POST /api/v1/events/{id}/cancel`. */
  name: string;
  params: Parameter[];
  body?: JsonSchema;
}

export const operationsOf = (doc: OpenApiDocument): ApiOperation[] =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method,
      path,
      name: `${method.toUpperCase()} ${path}`,
      params: op.parameters ?? [],
      body: op.requestBody?.content['application/json']?.schema,
    })),
  );

/** Ids that exist in the fuzzed database, so some requests get past "not found". */
export interface KnownIds {
  uuids: string[];
}

export type AuthChoice =
  | { kind: 'none' }
  | { kind: 'actor'; name: string }
  | { kind: 'forged'; name: string }
  | { kind: 'raw'; header: string };

export interface FuzzRequest {
  method: string;
  url: string;
  auth: AuthChoice;
  headers: Record<string, string>;
  /** JSON text or deliberately broken text; undefined sends no body. */
  body?: { text: string; contentType: string };
}

/** Like encodeURIComponent, but a lone surrogate goes out as U+FFFD's bytes instead of throwing. */
const percentEncode = (text: string) =>
  [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

const headerSafe = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map(String.fromCharCode),
  maxLength: 300,
});

export const createArbitraries = (
  doc: OpenApiDocument,
  known: KnownIds,
  actorNames: string[],
  forgedNames: string[],
) => {
  const resolve = (schema: JsonSchema): JsonSchema => {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved ${schema.$ref}`);
    return resolve(target);
  };

  const uuid = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known.uuids) }, fc.uuid());

  const stringFor = (s: JsonSchema): fc.Arbitrary<string> => {
    if (s.format === 'uuid') return uuid;
    if (s.format === 'email') return fc.emailAddress();
    if (s.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
    if (s.pattern?.includes('\\d{4}-\\d{2}-\\d{2}'))
      return fc.oneof(
        fc
          .date({ min: new Date('2020-01-01'), max: new Date('2035-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10)),
        badDates,
      );
    if (typeof s.example === 'string' && /\d:\d\d/.test(s.example))
      return fc.oneof(
        fc
          .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
          .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
        badTimes,
      );
    const examples = [s.example, s.default].filter((v): v is string => typeof v === 'string');
    const length = { minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 40) };
    const free = fc.oneof(fc.string(length), fc.string({ ...length, unit: 'grapheme' }));
    return examples.length ? fc.oneof(fc.constantFrom(...examples), free) : free;
  };

  /** A value the schema would accept, most of the time; `wild` mixes hostile values into its fields. */
  const plausible = (raw: JsonSchema, wild: boolean, depth = 0): fc.Arbitrary<unknown> => {
    const s = resolve(raw);
    const variants = s.anyOf ?? s.oneOf;
    if (variants) return fc.oneof(...variants.map((v) => plausible(v, wild, depth)));
    if (s.allOf) return plausible(s.allOf[0]!, wild, depth);
    if (s.enum) return fc.constantFrom(...s.enum);
    const types = Array.isArray(s.type) ? s.type : [s.type ?? (s.properties ? 'object' : 'string')];
    const nonNull = types.filter((t) => t !== 'null');
    const one = (type: string | undefined): fc.Arbitrary<unknown> => {
      switch (type) {
        case 'integer':
          return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 1000 });
        case 'number':
          return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true });
        case 'boolean':
          return fc.boolean();
        case 'array':
          return depth > 3
            ? fc.constant([])
            : fc.array(field(s.items ?? {}, wild, depth + 1), { maxLength: 4 });
        case 'object':
          return depth > 3 ? fc.constant({}) : objectOf(s, wild, depth + 1);
        default:
          return stringFor(s);
      }
    };
    const arbs = nonNull.map(one);
    if (types.includes('null')) arbs.push(fc.constant(null));
    return arbs.length === 1 ? arbs[0]! : fc.oneof(...arbs);
  };

  /**
   * A field: mostly plausible, sometimes hostile. One hostile field already refuses the whole
   * body, so the odds per field are low enough that many bodies reach the handler and the store.
   */
  const field = (s: JsonSchema, wild: boolean, depth = 0): fc.Arbitrary<unknown> =>
    wild
      ? fc.oneof({ weight: 6, arbitrary: plausible(s, wild, depth) }, { weight: 1, arbitrary: hostileValue })
      : plausible(s, wild, depth);

  /** Fields whose name says more than their schema: valid values reach the business rules. */
  const namedValues: Record<string, fc.Arbitrary<unknown>> = {
    phone_number: fc.integer({ min: 0, max: 99_999_999 }).map((n) => `+9198${String(n).padStart(8, '0')}`),
    email: fc.uuid().map((id) => `fuzz-${id}@example.com`),
    timezone: fc.constantFrom(...Intl.supportedValuesOf('timeZone')),
    class_type: fc.constantFrom('yoga', 'dance', 'zumba'),
    specialization: fc.constantFrom('yoga', ['dance', 'yoga']),
  };

  const objectOf = (s: JsonSchema, wild: boolean, depth: number): fc.Arbitrary<Record<string, unknown>> => {
    const props = Object.entries(s.properties ?? {});
    const required = new Set(s.required ?? []);
    return fc
      .tuple(
        fc.tuple(
          ...props.map(([name, prop]) =>
            // Required fields are usually present; sometimes left out, which must be a 400.
            fc.option(fc.oneof(field(prop, wild, depth), ...(namedValues[name] ? [namedValues[name]] : [])), {
              freq: required.has(name) ? (wild ? 12 : 1000) : 2,
              nil: undefined,
            }),
          ),
        ),
        fc.dictionary(smuggledKeys, hostileValue, { maxKeys: 2 }),
        fc.nat(3).map((n) => wild && n === 0),
      )
      .map(([values, extras, smuggle]) => {
        const out: Record<string, unknown> = {};
        props.forEach(([name], i) => {
          if (values[i] !== undefined) out[name] = values[i];
        });
        // Own properties, `__proto__` included (JSON.stringify writes it like any other key).
        if (smuggle)
          for (const [k, v] of Object.entries(extras))
            Object.defineProperty(out, k, { value: v, enumerable: true, configurable: true, writable: true });
        return out;
      });
  };

  const bodyFor = (schema: JsonSchema | undefined, wild: boolean): fc.Arbitrary<FuzzRequest['body']> => {
    const json = (value: unknown) => ({
      text: JSON.stringify(value) ?? 'null',
      contentType: 'application/json',
    });
    const broken = fc.constantFrom(
      { text: '{"name": ', contentType: 'application/json' },
      { text: '{"a":1}{"b":2}', contentType: 'application/json' },
      { text: '['.repeat(3000) + ']'.repeat(3000), contentType: 'application/json' },
      {
        text: '{"__proto__": {"role": "super_admin"}, "constructor": {"prototype": {"x": 1}}}',
        contentType: 'application/json',
      },
      { text: 'name=x&role=super_admin', contentType: 'application/x-www-form-urlencoded' },
      { text: '<xml/>', contentType: 'application/xml' },
      { text: '{"name":"x"}', contentType: 'text/plain' },
      { text: '{"name":"\\ud800"}', contentType: 'application/json' },
      { text: '\u0000', contentType: 'application/json' },
      { text: '{"name":"x"}', contentType: 'application/json; charset=utf-16' },
    );
    const variants: fc.Arbitrary<FuzzRequest['body']>[] = [
      fc.constant(undefined),
      hostileValue.map(json),
      broken,
    ];
    if (schema && !wild) return plausible(schema, wild).map(json);
    if (!wild) return fc.constant(undefined);
    if (schema) return fc.oneof({ weight: 8, arbitrary: plausible(schema, wild).map(json) }, ...variants);
    return fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, ...variants.slice(1));
  };

  const signedInActor = fc.constantFrom(...actorNames).map((name): AuthChoice => ({ kind: 'actor', name }));

  // Signed-in callers most often: a refused token stops a request before anything interesting.
  const authFor = fc.oneof(
    fc.constant<AuthChoice>({ kind: 'none' }),
    {
      weight: 5,
      arbitrary: fc.constantFrom(...actorNames).map((name): AuthChoice => ({ kind: 'actor', name })),
    },
    fc.constantFrom(...forgedNames).map((name): AuthChoice => ({ kind: 'forged', name })),
    fc
      .oneof(
        fc.constantFrom(
          'Bearer',
          'Bearer ',
          'Basic YWRtaW46YWRtaW4=',
          'bearer x.y.z',
          'Bearer a.b',
          'Token abc',
        ),
        headerSafe,
        headerSafe.map((s) => `Bearer ${s}`),
      )
      .map((header): AuthChoice => ({ kind: 'raw', header })),
  );

  const pathValue = fc.oneof(
    { weight: 4, arbitrary: uuid },
    { weight: 1, arbitrary: hostileStrings.filter((s) => s.length > 0 && s.length < 4000) },
  );

  const queryValue = (s: JsonSchema, wild: boolean): fc.Arbitrary<string | string[]> => {
    const calm = plausible(s, false).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    if (!wild) return calm;
    return fc.oneof(
      { weight: 3, arbitrary: calm },
      { weight: 1, arbitrary: hostileStrings.filter((v) => v.length < 4000) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('-1', '0', '1e9', '999999999999999999999', '1.5', ' 5', '0x10'),
      },
      { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 5 }), { minLength: 2, maxLength: 3 }) },
    );
  };

  /** Valid positions only: one far ahead of the store is documented to wait, then answer 503. */
  const minPosition = fc.oneof(
    fc.constantFrom('-1/-1', '0/0', '1/1', 'abc', '1/', '/1', '1/1/1', '99999999999999999999999/1', '-2/-2'),
    hostileStrings.filter((v) => v.length < 200),
  );

  /**
   * Half the requests are calm — signed in, well-formed, plausible values — so they get past
   * authentication and validation into the deciders and the store; the other half are wild.
   */
  const requestFor = (op: ApiOperation): fc.Arbitrary<FuzzRequest> =>
    fc.oneof(build(op, false), build(op, true));

  const build = (op: ApiOperation, wild: boolean): fc.Arbitrary<FuzzRequest> => {
    const pathParams = op.params.filter((p) => p.in === 'path');
    const queryParams = op.params.filter((p) => p.in === 'query');
    const headerParams = op.params.filter((p) => p.in === 'header');
    return fc
      .record({
        path: fc.tuple(...pathParams.map(() => (wild ? pathValue : uuid))),
        query: fc.tuple(
          ...queryParams.map((p) =>
            p.name === 'min_position'
              ? fc.option(wild ? minPosition : fc.constant('-1/-1'), { freq: 2, nil: undefined })
              : fc.option(queryValue(p.schema, wild), { freq: 2, nil: undefined }),
          ),
        ),
        extraQuery: !wild
          ? fc.constant<Record<string, string>>({})
          : fc.dictionary(
              fc.constantFrom('limit', 'page_size', 'role', 'status', '__proto__', 'q'),
              fc.constantFrom('1000000', '-1', 'all', 'x'),
              { maxKeys: 1 },
            ),
        headers: fc.tuple(
          ...headerParams.map(() =>
            wild ? fc.option(headerSafe, { nil: undefined }) : fc.constant(undefined),
          ),
        ),
        idempotencyKey: fc.option(
          wild ? fc.oneof(fc.uuid(), headerSafe, fc.constant('k'.repeat(8000))) : fc.uuid(),
          {
            freq: 3,
            nil: undefined,
          },
        ),
        auth: wild ? authFor : signedInActor,
        body: bodyFor(op.body, wild),
      })
      .map(({ path, query, extraQuery, headers, idempotencyKey, auth, body }) => {
        let url = op.path;
        pathParams.forEach((p, i) => {
          url = url.replace(`{${p.name}}`, percentEncode(path[i]!));
        });
        const search = new URLSearchParams();
        queryParams.forEach((p, i) => {
          const v = query[i];
          if (v === undefined) return;
          for (const one of Array.isArray(v) ? v : [v]) search.append(p.name, one);
        });
        for (const [k, v] of Object.entries(extraQuery)) search.append(k, v);
        const qs = search.toString();
        const hs: Record<string, string> = {};
        headerParams.forEach((p, i) => {
          if (headers[i] !== undefined) hs[p.name] = headers[i]!;
        });
        if (idempotencyKey !== undefined) hs['idempotency-key'] = idempotencyKey;
        return { method: op.method, url: qs ? `${url}?${qs}` : url, auth, headers: hs, body };
      });
  };

  return { requestFor };
};
