import { OpenApiGeneratorV31, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ZodType } from 'zod';
import { allExamples } from './examples';
import { withSpecExamples, type BodyRefusal } from './specExamples';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/**
 * The served OpenAPI 3.1 document, from the routes' own zod schemas. One builder for the server
 * (/api/v1/openapi.json) and the offline copy CI lints, so what is linted is what is served.
 */
const generated = (registry: OpenAPIRegistry): OpenApiDocument =>
  new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'ArcFit Roster API',
      version: '1.0.0',
      description:
        'Fitness classes in residential societies. Errors are RFC 9457 problem documents. Commands answer once the read side shows their write; the ArcFit-Position header carries the position, which GETs accept as ?min_position=.',
      // package.json's "UNLICENSED": the API is not offered under any licence.
      license: { name: 'Proprietary (UNLICENSED): all rights reserved' },
    },
    servers: [{ url: '/', description: 'The server this document was fetched from' }],
  });

const issuesOf = (issues: readonly { path: PropertyKey[]; message: string }[]) =>
  issues.map((i) => `${['body', ...i.path.map(String)].join('.')}: ${i.message}`).join('; ');

/** Parses a body with the very schema the route parses it with: the document's verdict is the route's. */
const bodyRefusal =
  (registry: OpenAPIRegistry): BodyRefusal =>
  (method, path, body) => {
    const definition = registry.definitions.find(
      (d) => d.type === 'route' && d.route.method === method && d.route.path === path,
    );
    const media =
      definition?.type === 'route' ? definition.route.request?.body?.content['application/json'] : undefined;
    const schema = media && 'schema' in media ? media.schema : undefined;
    if (!(schema instanceof ZodType)) return undefined;
    const result = schema.safeParse(body);
    return result.success ? undefined : issuesOf(result.error.issues);
  };

/** With the functional spec's example requests on the operations they call. */
export const openapiDocument = (registry: OpenAPIRegistry): OpenApiDocument =>
  withSpecExamples(generated(registry), allExamples, bodyRefusal(registry));
