import knexFactory from 'knex';
import pino from 'pino';
import { createApp } from '../api/app';
import { createIdentity } from '../api/auth/identityServices';
import type { ApiDependencies } from '../api/dependencies';
import type { RouteBook } from '../api/http/route';

/**
 * The app's route book (every route, its policy and its OpenAPI entry) without a database or an
 * event store: the app is only built, never served, so nothing here is ever called. What the
 * reference documents and the OpenAPI linter read.
 */
export const routeBookOffline = (): RouteBook => {
  const unused = new Proxy({} as never, {
    get: () => {
      throw new Error('routeBookOffline: the app was asked to do work while only being described');
    },
  });
  const knex = knexFactory({ client: 'pg' });
  const deps: ApiDependencies = {
    knex,
    store: unused,
    commands: unused,
    readYourWrites: unused,
    projections: unused,
    bookings: unused,
    identity: createIdentity(knex, {
      jwtSecret: 'reference-docs-only-never-signs-anything',
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 3600,
      authRateLimitPerMinute: 20,
    }),
    logger: pino({ level: 'silent' }),
  };
  return createApp(deps).routeBook;
};
