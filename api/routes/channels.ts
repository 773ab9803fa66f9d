// Vendor webhooks: raw bytes in, signature checked over exactly those bytes, events handed on, the vendor's ack out.
import express, { Router, type Request } from 'express';
import type { Services } from '../../config/services.ts';
import type { ChannelConfig, RawWebhook, WebhookAdapter } from '../../integrations/channels/types.ts';
import { webhookRoutes } from '../../integrations/registry.ts';
import { channelConfigKey } from '../../models/channelConfig.ts';
import { handleChannelEvents } from '../channelEvents.ts';
import { ApiError, badRequest, notFound } from '../errors.ts';

export function rawWebhook(req: Request, publicBaseUrl: string | undefined): RawWebhook {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') query[k] = v;
  const base = publicBaseUrl?.replace(/\/+$/, '') ?? `${req.protocol}://${req.get('host')}`;
  return { method: req.method, url: `${base}${req.originalUrl}`, headers, rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), query };
}

export async function findChannelConfig(services: Services, adapter: WebhookAdapter, routingKey: string): Promise<ChannelConfig | undefined> {
  const doc = await services.models.ChannelConfig.findOne({ _id: { $in: adapter.channels.map((c) => channelConfigKey(c, routingKey)) } }).lean();
  return doc ? { workspaceId: doc.workspaceId, channel: doc.channel, routingKey: doc.routingKey, credentials: doc.credentials, settings: doc.settings } : undefined;
}

export function channelsRouter(services: Services, opts: { taskQueue?: string } = {}): Router {
  const r = Router();
  const limit = services.env.BODY_LIMIT;
  for (const [path, adapter] of Object.entries(webhookRoutes)) {
    const bodyLimit = path.startsWith('email/') ? '10mb' : limit;
    r.all(`/${path}`, express.raw({ type: () => true, limit: bodyLimit }), async (req, res) => {
      const raw = rawWebhook(req, services.env.PUBLIC_BASE_URL);
      const lookup = (key: string) => findChannelConfig(services, adapter, key);
      const handshake = adapter.handshake ? await adapter.handshake(raw, lookup) : undefined;
      if (handshake) {
        res.status(handshake.status).type(handshake.contentType).send(handshake.body);
        return;
      }
      if (req.method !== 'POST') throw new ApiError(405, 'method_not_allowed', `${req.method} is not accepted here`);
      const key = adapter.routingKey(raw);
      if (!key) throw badRequest('unroutable', 'the webhook does not say which account it is for');
      const config = await lookup(key);
      if (!config) throw notFound(`a channel for account '${key}'`);
      const verified = adapter.verify(raw, config, new Date());
      if (!verified.ok) throw new ApiError(verified.status, 'invalid_signature', verified.reason);
      let events;
      try {
        events = adapter.parseAsync ? await adapter.parseAsync(raw, config) : adapter.parse(raw, config);
      } catch (err) {
        throw badRequest('invalid_payload', `the webhook payload could not be read: ${(err as Error).message}`);
      }
      await handleChannelEvents(services, config, events, opts.taskQueue);
      const ack = adapter.ack();
      res.status(ack.status).type(ack.contentType).send(ack.body);
    });
  }
  return r;
}
