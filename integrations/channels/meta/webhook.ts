// Messenger (`object: "page"`) and Instagram (`object: "instagram"`) share one Meta webhook.
import { IntegrationError } from '../../types.ts';
import type { ChannelConfig, InboundEvent, RawWebhook, WebhookAdapter } from '../types.ts';
import { toEvents } from './events.ts';
import { ACCOUNT_PARAM, graphHandshake, jsonBody, verifyGraphSignature } from './graphWebhook.ts';
import { messagingSchema, metaPayloadSchema } from './payload.ts';

export const metaWebhook: WebhookAdapter = {
  channels: ['messenger', 'instagram'],

  handshake: graphHandshake,

  routingKey(req) {
    if (req.method.toUpperCase() === 'GET') return req.query[ACCOUNT_PARAM];
    const body = jsonBody(req) as { entry?: { id?: unknown }[] } | undefined;
    const id = body?.entry?.[0]?.id;
    return typeof id === 'string' ? id : undefined;
  },

  verify: (req, config) => verifyGraphSignature(req, config.credentials.appSecret),

  parse(req: RawWebhook, config: ChannelConfig): InboundEvent[] {
    const parsed = metaPayloadSchema.safeParse(jsonBody(req));
    if (!parsed.success) throw new IntegrationError('invalid_request', `Meta webhook: ${parsed.error.message}`, { status: 400 });
    const channel = parsed.data.object === 'instagram' ? 'instagram' : 'messenger';
    const events: InboundEvent[] = [];
    for (const entry of parsed.data.entry) {
      // One delivery may batch several pages of the app: only this config's page (or IG account) is ours.
      if (entry.id !== config.routingKey) continue;
      for (const raw of entry.messaging ?? []) {
        const e = messagingSchema.safeParse(raw);
        if (e.success) events.push(...toEvents(e.data, channel, entry.id));
      }
    }
    return events;
  },

  ack: () => ({ status: 200, contentType: 'text/plain', body: '' }),
};
