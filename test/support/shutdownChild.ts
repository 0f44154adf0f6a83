// A process whose shutdown takes SHUTDOWN_MS, for test/platform/shutdown.unit.test.ts.
import pino from 'pino';
import { onShutdownSignal } from '../../src/platform/shutdown';

onShutdownSignal(
  pino({ level: 'silent' }),
  () => new Promise((resolve) => setTimeout(resolve, Number(process.env.SHUTDOWN_MS))),
);
process.send?.('ready');
setInterval(() => undefined, 1000);
