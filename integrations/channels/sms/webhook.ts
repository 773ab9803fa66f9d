// Twilio Messaging webhooks: inbound SMS/MMS and delivery status callbacks, both form-encoded and signed.
import { z } from 'zod';
import { IntegrationError } from '../../types.ts';
import type { Attachment, ChannelConfig, DeliveryStatusEvent, InboundEvent, RawWebhook, VerifyResult, WebhookAdapter } from '../types.ts';
import { toE164 } from './phone.ts';
import { verifyTwilioSignature } from './signature.ts';

const inboundSchema = z.object({
  MessageSid: z.string().min(1),
  From: z.string().min(1),
  To: z.string().min(1),
  Body: z.string().default(''),
  NumMedia: z.coerce.number().int().min(0).max(10).default(0),
  OptOutType: z.string().optional(),
});

const statusSchema = z.object({
  MessageSid: z.string().min(1),
  MessageStatus: z.string().min(1),
  ErrorCode: z.string().optional(),
});

const STATUS: Record<string, DeliveryStatusEvent['status'] | undefined> = {
  accepted: 'queued', scheduled: 'queued', queued: 'queued', sending: 'queued',
  sent: 'sent', delivered: 'delivered', read: 'read',
  undelivered: 'failed', failed: 'failed', canceled: 'failed',
};

const params = (req: RawWebhook) => new URLSearchParams(req.rawBody.toString('utf8'));

/** A status callback reports on a message we sent: it has a status and no body. */
const isStatusCallback = (p: URLSearchParams) => p.has('MessageStatus') && !p.has('Body');

const TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export const twilioSmsWebhook: WebhookAdapter = {
  channels: ['sms'],

  // Our number is To on an inbound message and From on a status callback about our own message.
  routingKey(req) {
    const p = params(req);
    const ours = isStatusCallback(p) ? p.get('From') : p.get('To');
    return ours ? toE164(ours) : undefined;
  },

  verify(req: RawWebhook, config: ChannelConfig): VerifyResult {
    const signature = req.headers['x-twilio-signature'];
    if (!signature) return { ok: false, status: 401, reason: 'missing X-Twilio-Signature' };
    const ok = verifyTwilioSignature(config.credentials.authToken ?? '', req.url, [...params(req)], signature);
    return ok ? { ok: true } : { ok: false, status: 401, reason: 'bad X-Twilio-Signature' };
  },

  parse(req: RawWebhook, config: ChannelConfig): InboundEvent[] {
    const p = params(req);
    const fields = Object.fromEntries(p);
    if (isStatusCallback(p)) {
      const s = statusSchema.safeParse(fields);
      if (!s.success) throw new IntegrationError('invalid_request', `Twilio status callback: ${s.error.message}`, { status: 400 });
      const status = STATUS[s.data.MessageStatus];
      if (!status) return [];
      return [{ type: 'status', channel: 'sms', vendorMessageId: s.data.MessageSid, status, ...(status === 'failed' && s.data.ErrorCode ? { error: `Twilio error ${s.data.ErrorCode}` } : {}) }];
    }
    const m = inboundSchema.safeParse(fields);
    if (!m.success) throw new IntegrationError('invalid_request', `Twilio inbound message: ${m.error.message}`, { status: 400 });
    const country = typeof config.settings.defaultCountry === 'string' ? config.settings.defaultCountry : undefined;
    const from = toE164(m.data.From, country);
    const attachments: Attachment[] = [];
    for (let i = 0; i < m.data.NumMedia; i++) {
      const ref = p.get(`MediaUrl${i}`);
      const contentType = p.get(`MediaContentType${i}`) ?? undefined;
      if (ref) attachments.push({ ref, ...(contentType ? { contentType } : {}) });
    }
    return [{
      type: 'message',
      channel: 'sms',
      vendorMessageId: m.data.MessageSid,
      sender: { kind: 'phone', value: from },
      text: m.data.Body,
      attachments,
      replyAddress: { to: from, from: toE164(m.data.To, country) },
      ...(m.data.OptOutType ? { meta: { optOutType: m.data.OptOutType } } : {}),
    }];
  },

  ack: () => ({ status: 200, contentType: 'text/xml', body: TWIML_EMPTY }),
};
