// HubSpot webhooks: an array of events. Ticket stage changes come from the app's `ticket.propertyChange`
// subscription on hs_pipeline_stage. Agent replies have no HubSpot event of their own, so they follow a convention
// of ours, posted (signed the v3 way) by a HubSpot workflow's webhook action or custom code:
//   {"subscriptionType": "threadline.agent_reply", "portalId", "objectId": <ticket id>, "messageId", "body", "public", "agentName"?}
import { z } from 'zod';
import { IntegrationError } from '../../types.ts';
import type { HelpdeskConfig, HelpdeskEvent, HelpdeskWebhookAdapter, RawHelpdeskWebhook } from '../types.ts';
import { safeJson } from '../shared/errors.ts';
import { hubspotSettings, statusForStage } from './settings.ts';
import { checkHubSpotSignature } from './signature.ts';

const id = z.union([z.string().min(1), z.number().int()]).transform(String);

const propertyChange = z.object({
  subscriptionType: z.literal('ticket.propertyChange'),
  objectId: id,
  propertyName: z.string(),
  propertyValue: z.string().nullish(),
});

const agentReply = z.object({
  subscriptionType: z.literal('threadline.agent_reply'),
  objectId: id,
  messageId: id,
  body: z.string().min(1),
  public: z.boolean(),
  agentName: z.string().optional(),
  externalId: z.string().optional(),
});

const eventShape = z.object({ subscriptionType: z.string(), portalId: id.optional() });

function events(req: RawHelpdeskWebhook): unknown[] {
  const body = safeJson(req.rawBody.toString('utf8'));
  // HubSpot batches events in an array; a workflow action posts one object.
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object') return [body];
  throw new IntegrationError('invalid_request', 'HubSpot webhook body is not JSON', { status: 400 });
}

export const hubspotWebhook: HelpdeskWebhookAdapter = {
  name: 'hubspot',

  // The portal (account) id: on the webhook URL (?account=) or in each event.
  routingKey(req) {
    if (req.query.account) return req.query.account;
    for (const e of safeJsonArray(req)) {
      const shape = eventShape.safeParse(e);
      if (shape.success && shape.data.portalId) return shape.data.portalId;
    }
    return undefined;
  },

  verify(req, config: HelpdeskConfig, now) {
    const secret = config.credentials.clientSecret;
    if (!secret) return { ok: false, status: 401, reason: 'no HubSpot client secret configured' };
    const check = checkHubSpotSignature(secret, {
      method: req.method,
      url: req.url,
      rawBody: req.rawBody,
      signature: req.headers['x-hubspot-signature-v3'],
      timestamp: req.headers['x-hubspot-request-timestamp'],
    }, now);
    if (check === 'ok') return { ok: true };
    const reason = { missing: 'missing X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp', stale: 'stale X-HubSpot-Request-Timestamp', bad: 'bad X-HubSpot-Signature-v3' }[check];
    return { ok: false, status: 401, reason };
  },

  parse(req, config) {
    const settings = hubspotSettings(config);
    const out: HelpdeskEvent[] = [];
    for (const raw of events(req)) {
      const change = propertyChange.safeParse(raw);
      if (change.success && change.data.propertyName === 'hs_pipeline_stage' && change.data.propertyValue) {
        const status = statusForStage(settings, change.data.propertyValue);
        if (status) out.push({ type: 'status', ticketId: change.data.objectId, status });
        continue;
      }
      const reply = agentReply.safeParse(raw);
      // Only a public reply is for the customer; an internal one stays in HubSpot.
      if (reply.success && reply.data.public) {
        const r = reply.data;
        out.push({ type: 'agent_reply', ticketId: r.objectId, ...(r.externalId ? { externalId: r.externalId } : {}), commentId: r.messageId, body: r.body, public: true, ...(r.agentName ? { agentName: r.agentName } : {}) });
      }
    }
    return out;
  },

  ack: () => ({ status: 200, contentType: 'application/json', body: '{"received":true}' }),
};

function safeJsonArray(req: RawHelpdeskWebhook): unknown[] {
  try {
    return events(req);
  } catch {
    return [];
  }
}
