import pino from 'pino';

export const createLogger = (level: string, name = 'arcfit-roster') =>
  pino({ name, level, redact: ['password', '*.password', 'token', '*.token'] });
