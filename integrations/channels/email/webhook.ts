// POST /v1/channels/email/inbound: raw MIME from an inbound mail provider (or our SMTP listener's relay),
// authenticated by a shared bearer secret. One message in, at most one event out.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ChannelConfig, InboundEvent, InboundMessageEvent, RawWebhook, VerifyResult, WebhookAdapter } from '../types.ts';
import { tokenFromAddresses } from './address.ts';
import { parseEmail, type ParsedEmail } from './parse.ts';
import { firstRecipient } from './recipient.ts';
import { newText } from './reply.ts';
import { replySubject } from './subject.ts';

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** Hashing first makes the comparison constant-time whatever the lengths. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** The reply token lives at the domain replies are addressed to; the routing key is that domain unless configured otherwise. */
function replyDomain(config: ChannelConfig): string {
  const configured = config.settings.replyDomain;
  return typeof configured === 'string' && configured ? configured : config.routingKey;
}

export function toEvent(mail: ParsedEmail, raw: Buffer, config: ChannelConfig): InboundMessageEvent | undefined {
  // Without a sender there is nobody to answer, and a retry would not produce one.
  if (!mail.from) return undefined;
  const replyToken = tokenFromAddresses([...mail.to, ...mail.cc], replyDomain(config));
  const inReplyTo = unique([...(mail.inReplyTo ? [mail.inReplyTo] : []), ...mail.references]);
  const references = unique([...mail.references, ...(mail.messageId ? [mail.messageId] : [])]);
  return {
    type: 'message',
    channel: 'email',
    vendorMessageId: mail.messageId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`,
    sender: { kind: 'email', value: mail.from.address, ...(mail.from.name ? { name: mail.from.name } : {}) },
    text: newText(mail.text),
    attachments: mail.attachments.map((a, index) => ({
      // There is no vendor store for mail parts: the ref names the part within this message.
      ref: a.contentId ? `cid:${a.contentId}` : `part:${index}`,
      contentType: a.contentType,
      size: a.size,
      ...(a.filename ? { filename: a.filename } : {}),
    })),
    ...(mail.date ? { at: mail.date.toISOString() } : {}),
    replyAddress: {
      to: mail.from.address,
      subject: replySubject(mail.subject),
      ...(mail.messageId ? { inReplyTo: mail.messageId } : {}),
      ...(references.length ? { references: references.join(' ') } : {}),
    },
    thread: { ...(inReplyTo.length ? { inReplyTo } : {}), ...(replyToken ? { replyToken } : {}) },
    meta: { dkim: mail.dkim, subject: mail.subject, autoSubmitted: mail.autoSubmitted },
  };
}

export const emailWebhook: WebhookAdapter = {
  channels: ['email'],

  routingKey(req: RawWebhook): string | undefined {
    const recipient = firstRecipient(req.rawBody);
    return recipient ? domainOf(recipient) : undefined;
  },

  verify(req: RawWebhook, config: ChannelConfig): VerifyResult {
    const expected = config.credentials.inboundSecret;
    if (!expected) return { ok: false, status: 401, reason: 'no inbound secret configured for this channel' };
    const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!match?.[1] || !sameSecret(match[1].trim(), expected)) return { ok: false, status: 401, reason: 'bad inbound secret' };
    return { ok: true };
  },

  parse(): InboundEvent[] {
    throw new Error('email needs parseAsync: MIME parsing is asynchronous');
  },

  async parseAsync(req: RawWebhook, config: ChannelConfig): Promise<InboundEvent[]> {
    const authServId = typeof config.settings.authServId === 'string' ? config.settings.authServId : undefined;
    const event = toEvent(await parseEmail(req.rawBody, authServId ? { authServId } : {}), req.rawBody, config);
    return event ? [event] : [];
  },

  ack() {
    return { status: 200, contentType: 'application/json', body: '{"ok":true}' };
  },
};
