import pino from 'pino';
import { loadConfig } from '../../src/config';
import { eventStoreOptions } from '../../src/platform/eventStoreOptions';

// What startServices hands both event stores: the app's logger and the liveness interval.
const logger = pino({ level: 'silent' });

it('checks a subscription for silence every 30 s unless EVENT_STORE_LIVENESS_SECONDS says otherwise', () => {
  expect(eventStoreOptions(loadConfig({}), logger)).toEqual({ livenessIntervalMs: 30_000, logger });
  expect(
    eventStoreOptions(loadConfig({ EVENT_STORE_LIVENESS_SECONDS: '5' }), logger).livenessIntervalMs,
  ).toBe(5000);
});

it('refuses a liveness interval that is not a whole number of seconds from 1', () => {
  expect(() => loadConfig({ EVENT_STORE_LIVENESS_SECONDS: '0' })).toThrow(/EVENT_STORE_LIVENESS_SECONDS/);
  expect(() => loadConfig({ EVENT_STORE_LIVENESS_SECONDS: 'soon' })).toThrow(/EVENT_STORE_LIVENESS_SECONDS/);
});
