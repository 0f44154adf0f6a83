import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * docker-compose.yml has not been run on a Docker engine where these tests run (there is none),
 * so its promises are checked here, on the parsed file: what would otherwise only show when
 * someone ran `docker compose up`.
 */
const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  profiles?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition?: string; required?: boolean }>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  deploy?: { replicas?: number };
}

const composeText = read('docker-compose.yml');
// `merge: true`: the file shares settings through YAML merge keys (<<), as compose reads them.
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service> };
const services = Object.entries(compose.services);
const service = (name: string): Service => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

/** `.env.example` as NAME → value (comments and blank lines left out). */
const envExample = new Map(
  read('.env.example')
    .split('\n')
    .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
);

/** Every variable the file interpolates: ${NAME}, ${NAME:-default}, ${NAME:?error}, $NAME. */
const interpolated = (text: string): string[] => [
  ...[...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!),
  ...[...text.replace(/\$\$/g, '').matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!),
];

/** `${NAME:-default}` → default. */
const defaultOf = (value: string): string | undefined => value.match(/^\$\{[A-Z_]+:-(.*)\}$/)?.[1];

/** The host names an esdb:// connection string names. */
const esdbHosts = (connection: string): string[] =>
  connection
    .replace(/^esdb(\+discover)?:\/\//, '')
    .split(/[?/]/)[0]!
    .split(',')
    .map((hostPort) => hostPort.split(':')[0]!);

const isKurrentDb = (s: Service) => Boolean(s.image?.includes('kurrentdb'));

describe('docker-compose.yml', () => {
  it('gives every service a health check', () => {
    const without = services
      .filter(([, s]) => !s.healthcheck?.test || s.healthcheck.disable)
      .map(([name]) => name);
    expect(without).toEqual([]);
  });

  it('starts a service only once what it depends on is healthy', () => {
    const notHealthy = services.flatMap(([name, s]) =>
      Object.entries(s.depends_on ?? {})
        .filter(([, d]) => d.condition !== 'service_healthy')
        .map(([dependency]) => `${name} → ${dependency}`),
    );
    expect(notHealthy).toEqual([]);
    for (const [name, s] of services)
      for (const dependency of Object.keys(s.depends_on ?? {})) {
        expect({ name, dependency, defined: dependency in compose.services }).toEqual({
          name,
          dependency,
          defined: true,
        });
      }
  });

  it('runs two stateless API replicas from the production image, reachable only through the proxy', () => {
    const api = service('api');
    expect(api.deploy?.replicas).toBe(2);
    expect(api.build).toBeDefined();
    expect(api.environment?.RUN_PROJECTIONS).toBe('false');
    expect(api.environment?.NODE_ENV).toBe('production');
    const publishing = services.filter(([, s]) => (s.ports ?? []).length > 0).map(([name]) => name);
    expect(publishing).toEqual(['proxy']);
  });

  it('puts nginx in front of the API, configured from deploy/nginx.conf', () => {
    const proxy = service('proxy');
    expect(proxy.image).toMatch(/^nginx:/);
    expect(proxy.depends_on?.api?.condition).toBe('service_healthy');
    const mount = (proxy.volumes ?? []).find((v) => v.includes('nginx.conf'));
    expect(mount).toBe('./deploy/nginx.conf:/etc/nginx/nginx.conf:ro');
    const nginx = read('deploy/nginx.conf');
    expect(nginx).toMatch(/upstream arcfit_api \{[^}]*server api:3000\b/);
    expect(nginx).toMatch(/proxy_pass http:\/\/arcfit_api;/);
  });

  it('has the API trust exactly the one proxy, which appends the address it saw to X-Forwarded-For', () => {
    expect(service('api').environment?.TRUST_PROXY).toBe('1');
    expect(read('deploy/nginx.conf')).toMatch(
      /proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/,
    );
  });

  it('runs one worker for the projections and jobs', () => {
    const worker = service('worker');
    expect(worker.command).toEqual(['node', 'dist/worker.js']);
    expect(worker.deploy?.replicas ?? 1).toBe(1);
    expect(worker.environment?.RUN_PROJECTIONS).toBeUndefined();
    expect(service('api').depends_on?.worker?.condition).toBe('service_healthy');
  });

  it('points the API and worker at the kurrentdb service, on a pinned KurrentDB image', () => {
    const kurrentdb = service('kurrentdb');
    expect(kurrentdb.image).toMatch(/^docker\.kurrent\.io\/kurrent-latest\/kurrentdb:\d+\.\d+\.\d+$/);
    expect(kurrentdb.profiles).toBeUndefined();
    for (const name of ['api', 'worker']) {
      const env = service(name).environment!;
      expect(env.EVENT_STORE).toBe('esdb');
      expect(esdbHosts(defaultOf(env.ESDB_CONNECTION_STRING!) ?? env.ESDB_CONNECTION_STRING!)).toEqual([
        'kurrentdb',
      ]);
      expect(service(name).depends_on?.kurrentdb?.condition).toBe('service_healthy');
    }
    expect(esdbHosts(envExample.get('ESDB_CONNECTION_STRING')!)).toEqual(['kurrentdb']);
  });

  it('has a three-node KurrentDB cluster under the cluster profile', () => {
    const nodes = services.filter(([, s]) => s.profiles?.includes('cluster'));
    expect(nodes.map(([name]) => name)).toEqual(['kurrentdb-node1', 'kurrentdb-node2', 'kurrentdb-node3']);
    for (const [name, node] of nodes) {
      expect(isKurrentDb(node)).toBe(true);
      expect(node.environment?.KURRENTDB_CLUSTER_SIZE).toBe('3');
      const others = nodes.map(([n]) => n).filter((n) => n !== name);
      expect(node.environment?.KURRENTDB_GOSSIP_SEED).toBe(others.map((n) => `${n}:2113`).join(','));
    }
    // Outside the profile: exactly one node.
    expect(services.filter(([, s]) => isKurrentDb(s) && !s.profiles).map(([name]) => name)).toEqual([
      'kurrentdb',
    ]);
  });

  it('takes every variable it uses from .env.example', () => {
    const missing = [...new Set(interpolated(composeText))].filter((name) => !envExample.has(name));
    expect(missing).toEqual([]);
  });

  it('holds no secret: each is read from .env, and .env.example leaves them blank', () => {
    const secrets = ['JWT_SECRET', 'POSTGRES_PASSWORD', 'PAYMENT_WEBHOOK_SECRET', 'METRICS_TOKEN'];
    const looksSecret = /SECRET|PASSWORD|TOKEN/;
    const literals = services.flatMap(([name, s]) =>
      Object.entries(s.environment ?? {})
        .filter(([key, value]) => looksSecret.test(key) && !/^\$\{[A-Z_]+:\?[^}]*\}$/.test(value))
        .map(([key]) => `${name}.${key}`),
    );
    expect(literals).toEqual([]);
    for (const [name, s] of services) {
      const url = s.environment?.DATABASE_URL;
      if (url)
        expect({ name, url }).toEqual({
          name,
          url: expect.stringMatching(/^postgres:\/\/arcfit:\$\{POSTGRES_PASSWORD:\?/),
        });
    }
    for (const secret of secrets)
      expect({ secret, value: envExample.get(secret) }).toEqual({ secret, value: '' });
    expect(read('.gitignore').split('\n')).toContain('.env');
    expect(read('.dockerignore').split('\n')).toContain('.env');
  });
});
