import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedEmail {
  readonly to: string[];
  readonly raw: string;
  readonly subject: string;
  readonly messageId: string;
  readonly text: string;
}

/** Header value from a raw message (unfolded); enough for the plain messages nodemailer builds. */
const header = (raw: string, name: string): string => {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : '';
};

/** Undo quoted-printable soft breaks and escapes (nodemailer uses them for long or non-ASCII lines). */
const decodeBody = (raw: string): string => {
  const body = raw
    .split(/\r?\n\r?\n/)
    .slice(1)
    .join('\n\n');
  return body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\r\n/g, '\n')
    .trim();
};

/**
 * A real SMTP server in this process (the `smtp-server` package), recording what it accepts.
 * `refuse(n)` makes it answer the next n messages with a temporary failure (451), as a busy relay does.
 */
export const startSmtpInbox = async () => {
  const received: ReceivedEmail[] = [];
  let refusalsLeft = 0;
  let refused = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refusalsLeft > 0) {
          refusalsLeft -= 1;
          refused += 1;
          const error = Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 });
          return callback(error);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject: header(raw, 'Subject'),
          messageId: header(raw, 'Message-ID'),
          text: decodeBody(raw),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuse: (n: number) => {
      refusalsLeft = n;
    },
    get refused() {
      return refused;
    },
    refuseAlways: () => {
      refusalsLeft = Number.POSITIVE_INFINITY;
    },
    inboxOf: (address: string) => received.filter((m) => m.to.includes(address.toLowerCase())),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

export type SmtpInbox = Awaited<ReturnType<typeof startSmtpInbox>>;
