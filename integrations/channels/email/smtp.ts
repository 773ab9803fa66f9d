// The built-in SMTP listener: an MTA (ours, or a provider's relay) delivers inbound mail here instead of POSTing it.
// Reply codes matter: 4xx makes the sending MTA keep the message and retry; 5xx bounces it for good.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerError, type SMTPServerSession } from 'smtp-server';
import { IntegrationError } from '../../types.ts';

export interface SmtpEnvelope {
  /** Empty for the null sender of bounces. */
  from: string;
  to: string[];
}

export interface SmtpListenerOptions {
  /** Loopback unless told otherwise: exposing a listener to the internet is a deliberate choice. */
  host?: string;
  port?: number;
  onMessage(raw: Buffer, envelope: SmtpEnvelope): Promise<void>;
  maxSize?: number;
  /** Offer STARTTLS with this certificate; without it STARTTLS is not advertised. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

const defaultMaxSize = 10 * 1024 * 1024;

function smtpError(responseCode: number, message: string): SMTPServerError {
  return Object.assign(new Error(message), { responseCode });
}

/** Unknown failures are treated as temporary: a retried delivery is better than a lost customer message. */
function rejection(err: unknown): SMTPServerError {
  if (err instanceof IntegrationError && !err.retryable) return smtpError(550, `5.6.0 Message rejected: ${err.message}`);
  return smtpError(451, '4.3.0 Temporary failure, try again later');
}

function readMessage(stream: SMTPServerDataStream, maxSize: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is drained, not kept: the message is going to be refused anyway.
      if (size <= maxSize) chunks.push(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(stream.sizeExceeded || size > maxSize ? undefined : Buffer.concat(chunks)));
  });
}

export async function startSmtpListener(opts: SmtpListenerOptions): Promise<SmtpListener> {
  const maxSize = opts.maxSize ?? defaultMaxSize;
  const server = new SMTPServer({
    logger: false,
    size: maxSize,
    authOptional: true,
    disabledCommands: opts.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(opts.tls ? { key: opts.tls.key, cert: opts.tls.cert } : {}),
    closeTimeout: 5_000,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      readMessage(stream, maxSize)
        .then(async (raw) => {
          if (!raw) return callback(smtpError(552, `5.3.4 Message exceeds the ${maxSize}-byte limit`));
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          await opts.onMessage(raw, envelope);
          callback();
        })
        .catch((err: unknown) => callback(rejection(err)));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
