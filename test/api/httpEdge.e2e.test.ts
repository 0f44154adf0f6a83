import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import { createHttpServer } from '../../src/platform/httpServer';
import { signUp, type Actor } from '../support/actors';
import { startTestApp, type TestApp } from '../support/testApp';

/**
 * What the edge answers before any route runs: requests Node's HTTP parser refuses, bodies the
 * JSON parser cannot read, methods no route serves, and the headers on the docs page. Every
 * refusal is a problem document like any route's.
 */
let t: TestApp;
let admin: Actor;
beforeAll(async () => {
  t = await startTestApp();
  admin = await signUp(t, 'society_admin');
});
afterAll(async () => t.dispose());

const expectProblemDocument = (
  res: { status: number; headers: Record<string, string>; body: unknown },
  status: number,
  type: RegExp,
) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual(
    expect.objectContaining({
      type: expect.stringMatching(type),
      title: expect.any(String),
      status,
      detail: expect.any(String),
    }),
  );
};

describe('bodies the JSON parser refuses', () => {
  const post = () =>
    request(t.app)
      .post('/api/v1/societies')
      .set(...admin.auth);

  it.each([
    [
      'malformed JSON',
      () => post().set('Content-Type', 'application/json').send('{"name":'),
      400,
      /malformed-request$/,
      /not valid JSON/,
    ],
    [
      'JSON that is not an object or array',
      () => post().set('Content-Type', 'application/json').send('"just a string"'),
      400,
      /malformed-request$/,
      /not valid JSON/,
    ],
    [
      'a body over 100 kB',
      () =>
        post()
          .set('Content-Type', 'application/json')
          .send(JSON.stringify({ name: 'x'.repeat(200_000) })),
      413,
      /payload-too-large$/,
      /100 kB/,
    ],
    [
      'a charset JSON is never sent in',
      () => post().set('Content-Type', 'application/json; charset=latin1').send('{"name":"x"}'),
      415,
      /unsupported-media-type$/,
      /charset/,
    ],
    [
      'a content encoding the service does not read',
      () => post().set('Content-Type', 'application/json').set('Content-Encoding', 'br').send('{"name":"x"}'),
      415,
      /unsupported-media-type$/,
      /Content-Encoding/,
    ],
    [
      'a body that is not JSON at all',
      () => post().set('Content-Type', 'text/plain').send('name=Green Park'),
      415,
      /unsupported-media-type$/,
      /application\/json/,
    ],
  ])('%s', async (_label, send, status, type, detail) => {
    const before = await t.eventCount();
    const res = await send();
    expectProblemDocument(res, status, type);
    expect(res.body.detail).toMatch(detail);
    expect(await t.eventCount()).toBe(before);
  });
});

describe('OPTIONS', () => {
  it('is refused with a problem document naming the methods the path serves', async () => {
    const res = await request(t.app).options('/api/v1/societies');
    expectProblemDocument(res, 405, /method-not-allowed$/);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
  });

  it('on a path with a parameter, too', async () => {
    const res = await request(t.app).options('/api/v1/societies/00000000-0000-4000-8000-000000000001');
    expectProblemDocument(res, 405, /method-not-allowed$/);
    expect(res.headers.allow).toBe('GET, HEAD, PATCH');
  });

  it('on a path no route serves: 404', async () => {
    expectProblemDocument(await request(t.app).options('/api/v1/nothing-here'), 404, /not-found$/);
  });
});

describe('the API docs page', () => {
  it('carries a Content-Security-Policy that lets Swagger UI load only from this origin', async () => {
    const res = await request(t.app).get('/api/v1/docs/');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/swagger-ui/i);
    const csp = String(res.headers['content-security-policy']);
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    // Every script the page names is its own, none inline: script-src 'self' lets them all run.
    const scripts = [...res.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\.\//);
      expect(body!.trim()).toBe('');
    }
  });
});

describe('requests Node refuses before express runs', () => {
  let server: Server;
  beforeAll(async () => {
    server = createHttpServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  /** One raw request; the whole answer, as the server closes the connection after it. */
  const raw = (text: string) =>
    new Promise<{ status: number; headers: Record<string, string>; body: unknown }>((resolve, reject) => {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1', () => socket.end(text));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk));
      socket.on('error', reject);
      socket.on('close', () => {
        const [head = '', body = ''] = answer.split('\r\n\r\n');
        const [statusLine = '', ...lines] = head.split('\r\n');
        const headers = Object.fromEntries(
          lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
        );
        let parsed: unknown = body;
        try {
          parsed = JSON.parse(body);
        } catch {
          // left as text: the assertions say what was expected
        }
        resolve({ status: Number(statusLine.split(' ')[1]), headers, body: parsed });
      });
    });

  it('headers too large: 431 as a problem document', async () => {
    const res = await raw(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectProblemDocument(res, 431, /headers-too-large$/);
  });

  it('a request line HTTP cannot parse: 400 as a problem document', async () => {
    const res = await raw('NOT HTTP AT ALL\r\n\r\n');
    expectProblemDocument(res, 400, /malformed-request$/);
  });
});
