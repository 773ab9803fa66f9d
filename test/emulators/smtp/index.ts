// An SMTP sink: accepts mail like a relay would, keeps the raw bytes and mailparser's reading of them,
// and can refuse the next messages with a temporary (451) or permanent (550) reply.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { FaultQueue } from '../faults.ts';

export interface SmtpReceived {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
}

export type SmtpFault = { code: 451 | 550; message?: string };

export interface SmtpEmulatorOptions {
  /** Require AUTH PLAIN/LOGIN with these credentials (over plain text: it is loopback). */
  auth?: { user: string; pass: string };
}

export interface SmtpEmulator {
  /** smtp://127.0.0.1:<port> */
  url: string;
  host: string;
  port: number;
  received: SmtpReceived[];
  failNext(n: number, fault: SmtpFault): void;
  reset(): void;
  close(): Promise<void>;
}

function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', reject);
    stream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

export async function startSmtpEmulator(opts: SmtpEmulatorOptions = {}): Promise<SmtpEmulator> {
  const received: SmtpReceived[] = [];
  const faults = new FaultQueue<SmtpFault>();
  const server = new SMTPServer({
    logger: false,
    disabledCommands: opts.auth ? ['STARTTLS'] : ['AUTH', 'STARTTLS'],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    closeTimeout: 1_000,
    onAuth(auth: SMTPServerAuthentication, _session: SMTPServerSession, callback) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) return callback(null, { user: auth.username });
      callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      readAll(stream)
        .then(async (raw) => {
          // The fault is decided after DATA, where a relay refusing a message refuses it.
          const fault = faults.take(undefined);
          if (fault) {
            const text = fault.message ?? (fault.code === 451 ? '4.3.0 Temporary failure, try again later' : '5.7.1 Message rejected');
            return callback(Object.assign(new Error(text), { responseCode: fault.code }));
          }
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          received.push({ envelope, raw, parsed: await simpleParser(raw) });
          callback();
        })
        .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    received,
    failNext: (n, fault) => faults.failNext(n, fault),
    reset() {
      received.length = 0;
      faults.reset();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
