import type { Knex } from 'knex';
import type { IdentityDependencies } from '../dependencies';
import { createLoginThrottle } from './loginThrottle';
import { createPhoneOtp } from './phoneOtp';
import { createRefreshTokens } from './refreshTokens';
import { outboxSmsChannel, type SmsChannel } from './smsChannel';
import { createTokenService } from './tokens';
import { createIdempotencyKeys } from '../http/idempotencyKeys';

export interface IdentitySettings {
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  authRateLimitPerMinute: number;
  sms?: SmsChannel;
}

export const createIdentity = (knex: Knex, settings: IdentitySettings): IdentityDependencies => ({
  tokens: createTokenService(settings.jwtSecret, settings.accessTokenTtlSeconds),
  refreshTokens: createRefreshTokens(knex, settings.refreshTokenTtlSeconds),
  otp: createPhoneOtp(knex, settings.sms ?? outboxSmsChannel(knex), settings.jwtSecret),
  throttle: createLoginThrottle(knex),
  idempotency: createIdempotencyKeys(knex, settings.jwtSecret),
  authRateLimitPerMinute: settings.authRateLimitPerMinute,
});
