// Replies go out through an SMTP relay (the vendor's, or a local sink in tests) with the thread's headers set,
// so the customer's client files them under the conversation and answers come back to the same thread.
import { createHash } from 'node:crypto';
import { parseAddressHeader } from 'mailparser';
import nodemailer from 'nodemailer';
import { IntegrationError } from '../../types.ts';
import type { ChannelConfig, ChannelSender, FormattedMessage, ReplyAddress, ReplyContent, SendResult } from '../types.ts';
import { smtpFailure } from './errors.ts';
import { format } from './format.ts';

export interface SmtpRelay {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the relay offers it. */
  secure?: boolean;
  auth?: { user: string; pass: string };
}

interface Mailbox {
  name?: string;
  address: string;
}

/** `fromAddress` may carry its own display name ("Acme Support <help@acme.test>"); `fromName` fills in otherwise. */
function fromMailbox(config: ChannelConfig): Mailbox {
  const raw = config.credentials.fromAddress;
  const parsed = raw ? parseAddressHeader(raw, { flatten: true, decodePunycode: false }).value[0] : undefined;
  if (!parsed?.address) throw new IntegrationError('invalid_request', 'email channel has no valid credentials.fromAddress', { retryable: false });
  const name = parsed.name || config.credentials.fromName;
  return { address: parsed.address, ...(name ? { name } : {}) };
}

/**
 * The same idempotency key gives the same Message-ID, so a retried send is recognisably the same message.
 * Keys that are not valid msg-id text (":" in Temporal ids, for one) are hashed rather than mangled, to keep them distinct.
 */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  const safe = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/.test(idempotencyKey) && idempotencyKey.length <= 128;
  const id = safe ? idempotencyKey : `h.${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}`;
  return `<threadline.${id}@${domain}>`;
}

export class EmailSender implements ChannelSender {
  readonly channel = 'email' as const;
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;

  constructor(relay: SmtpRelay) {
    this.transport = nodemailer.createTransport({
      host: relay.host,
      port: relay.port,
      secure: relay.secure ?? false,
      ...(relay.auth ? { auth: relay.auth } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  format(reply: ReplyContent, settings: Record<string, unknown>): FormattedMessage {
    return format(reply, typeof settings.subject === 'string' ? { subject: settings.subject } : {});
  }

  async send(config: ChannelConfig, to: ReplyAddress, message: FormattedMessage, opts: { idempotencyKey: string }): Promise<SendResult> {
    if (!to.to) throw new IntegrationError('invalid_request', 'email reply address has no "to"', { retryable: false });
    const from = fromMailbox(config);
    const messageId = messageIdFor(opts.idempotencyKey, from.address.slice(from.address.lastIndexOf('@') + 1));
    try {
      const info = await this.transport.sendMail({
        from,
        to: to.to,
        // The thread's "Re: …" wins over a configured default subject for new conversations.
        subject: to.subject ?? message.subject ?? '',
        messageId,
        ...(to.inReplyTo ? { inReplyTo: to.inReplyTo } : {}),
        ...(to.references ? { references: to.references } : {}),
        ...(to.replyTo ? { replyTo: to.replyTo } : {}),
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
      });
      return { vendorMessageId: info.messageId || messageId, status: 'sent' };
    } catch (err) {
      throw smtpFailure(err);
    }
  }

  close(): void {
    this.transport.close();
  }
}
