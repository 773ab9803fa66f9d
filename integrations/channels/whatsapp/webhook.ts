// WhatsApp Cloud API webhook: Meta's handshake and signature, messages and delivery statuses.
import { IntegrationError } from '../../types.ts';
import type { ChannelConfig, DeliveryStatusEvent, InboundEvent, RawWebhook, WebhookAdapter } from '../types.ts';
import { ACCOUNT_PARAM, graphHandshake, jsonBody, verifyGraphSignature } from '../meta/graphWebhook.ts';
import { toInboundMessage } from './messages.ts';
import { waMessageSchema, waPayloadSchema, waStatusSchema } from './payload.ts';

const STATUS: Record<string, DeliveryStatusEvent['status'] | undefined> = { sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed' };

function payload(req: RawWebhook) {
  const parsed = waPayloadSchema.safeParse(jsonBody(req));
  if (!parsed.success) throw new IntegrationError('invalid_request', `WhatsApp webhook: ${parsed.error.message}`, { status: 400 });
  return parsed.data;
}

export const whatsappWebhook: WebhookAdapter = {
  channels: ['whatsapp'],

  handshake: graphHandshake,

  routingKey(req) {
    if (req.method.toUpperCase() === 'GET') return req.query[ACCOUNT_PARAM];
    const body = jsonBody(req) as { entry?: { changes?: { value?: { metadata?: { phone_number_id?: unknown } } }[] }[] } | undefined;
    const id = body?.entry?.[0]?.changes?.[0]?.value?.metadata?.phone_number_id;
    return typeof id === 'string' ? id : undefined;
  },

  verify: (req, config) => verifyGraphSignature(req, config.credentials.appSecret),

  parse(req: RawWebhook, config: ChannelConfig): InboundEvent[] {
    const events: InboundEvent[] = [];
    for (const entry of payload(req).entry) {
      for (const change of entry.changes) {
        const value = change.value;
        const phoneNumberId = value.metadata?.phone_number_id;
        // One delivery may batch several numbers of a business account: only this config's number is ours.
        if (change.field !== 'messages' || phoneNumberId !== config.routingKey) continue;
        const names = new Map((value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name]));
        for (const raw of value.messages ?? []) {
          const m = waMessageSchema.safeParse(raw);
          const event = m.success ? toInboundMessage(m.data, phoneNumberId, names.get(m.data.from)) : undefined;
          if (event) events.push(event);
        }
        for (const raw of value.statuses ?? []) {
          const s = waStatusSchema.safeParse(raw);
          const status = s.success ? STATUS[s.data.status] : undefined;
          if (!s.success || !status) continue;
          const err = s.data.errors?.[0];
          const error = status === 'failed' && err ? `${err.title ?? err.message ?? 'failed'}${err.code ? ` (${err.code})` : ''}` : undefined;
          events.push({ type: 'status', channel: 'whatsapp', vendorMessageId: s.data.id, status, ...(error ? { error } : {}) });
        }
      }
    }
    return events;
  },

  ack: () => ({ status: 200, contentType: 'text/plain', body: '' }),
};
