import client from 'prom-client';
import type { AllSubscription, RecordedEvent } from './eventStore';
import { comparePositions, formatPosition, START, type Position } from './position';
import pino from 'pino';

/**
 * Catch-up subscriptions that went silent and were reopened. Kept here, with no registry of its
 * own: the metrics module registers it on the registry it builds (src/api/http/metrics.ts).
 */
export const subscriptionResubscribes = new client.Counter({
  name: 'event_store_subscription_resubscribes_total',
  help: 'Catch-up subscriptions closed and reopened from their last delivered position because no event came although the store head had moved past it',
  labelNames: ['store'] as const,
  registers: [],
});

/** What a store logs a resubscribe with; a pino logger fits. */
export interface LivenessLogger {
  warn(fields: object, message: string): void;
}

export interface LivenessOptions {
  /** The store's name in the log line and the counter's `store` label. */
  readonly store: string;
  /**
   * How often the head is compared with what was delivered. A subscription is reopened when a
   * whole interval passes without an event although the head was already past its last one.
   */
  readonly intervalMs: number;
  readonly logger: LivenessLogger;
}

let fallbackLogger: LivenessLogger | undefined;
/** For a store given no logger: resubscribes are warnings, so they are never silent. */
export const defaultLivenessLogger = (): LivenessLogger =>
  (fallbackLogger ??= pino({ name: 'arcfit-event-store', level: 'warn' }));

/** Long enough that a healthy subscription under load is never taken for a silent one. */
export const DEFAULT_LIVENESS_INTERVAL_MS = 30_000;

const RESUBSCRIBE = Symbol('resubscribe');
const CLOSED = Symbol('closed');
type Interrupt = typeof RESUBSCRIBE | typeof CLOSED;

/**
 * A subscription that notices when it stopped receiving. Why: a catch-up subscription can go
 * silent without an error (a known failure of the EventStoreDB Node client; a hung query on
 * PostgreSQL), and a read model behind it would then stall forever with nobody told. Silence
 * alone is no sign (a quiet store sends nothing), so the head is checked: when it was already
 * past the last delivered position and a whole interval went by without an event, the
 * subscription is closed and opened again from that position (exclusive, so nothing twice).
 * Time the consumer spends on an event does not count: only waiting for the next one does.
 */
export const withLiveness = (
  subscribe: (after: Position | undefined) => AllSubscription,
  headPosition: () => Promise<Position>,
  after: Position | undefined,
  { store, intervalMs, logger }: LivenessOptions,
): AllSubscription => {
  let delivered = after;
  let deliveries = 0;
  let closed = false;
  let current: AllSubscription | undefined;
  /** Set while waiting for the inner subscription's next event; wakes that wait instead. */
  let interrupt: ((signal: Interrupt) => void) | undefined;
  /** The head seen at the last check, when it was past `delivered` and no event came since. */
  let aheadAtLastCheck: Position | undefined;
  let checking = false;
  const isWaiting = (): boolean => interrupt !== undefined;

  const check = async (): Promise<void> => {
    if (checking) return;
    if (!interrupt) {
      aheadAtLastCheck = undefined;
      return;
    }
    if (aheadAtLastCheck) {
      logger.warn(
        {
          store,
          lastDelivered: formatPosition(delivered ?? START),
          head: formatPosition(aheadAtLastCheck),
          silentForMs: intervalMs,
        },
        'catch-up subscription received nothing although the store head moved past it: resubscribing from the last delivered position',
      );
      subscriptionResubscribes.inc({ store });
      aheadAtLastCheck = undefined;
      interrupt(RESUBSCRIBE);
      return;
    }
    checking = true;
    const before = deliveries;
    try {
      // An unreachable store is the inner subscription's to report, not the watchdog's.
      const head = await headPosition().catch(() => undefined);
      const ahead = head !== undefined && comparePositions(head, delivered ?? START) > 0;
      aheadAtLastCheck = ahead && deliveries === before && isWaiting() ? head : undefined;
    } finally {
      checking = false;
    }
  };

  const nextOrInterrupt = (iterator: AsyncIterator<RecordedEvent>) =>
    new Promise<IteratorResult<RecordedEvent> | Interrupt>((resolve, reject) => {
      interrupt = resolve;
      // An abandoned next() that settles later settles nothing: this promise is settled already.
      iterator.next().then(resolve, reject);
    }).finally(() => {
      interrupt = undefined;
    });

  async function* events(): AsyncGenerator<RecordedEvent> {
    const watchdog = setInterval(() => void check(), intervalMs);
    watchdog.unref();
    try {
      while (!closed) {
        const subscription = subscribe(delivered);
        current = subscription;
        const iterator = subscription[Symbol.asyncIterator]();
        for (;;) {
          const next = await nextOrInterrupt(iterator);
          if (next === CLOSED || closed) return;
          if (next === RESUBSCRIBE) {
            // Not awaited: a subscription that hangs may hang in closing too.
            void subscription.close().catch(() => undefined);
            break;
          }
          if (next.done) return;
          delivered = next.value.position;
          deliveries++;
          aheadAtLastCheck = undefined;
          yield next.value;
          if (closed) return;
        }
      }
    } finally {
      clearInterval(watchdog);
      closed = true;
      await current?.close().catch(() => undefined);
    }
  }

  const iterator = events();
  return {
    [Symbol.asyncIterator]: () => iterator,
    close: async () => {
      if (closed) return;
      closed = true;
      interrupt?.(CLOSED);
      await current?.close().catch(() => undefined);
    },
  };
};
