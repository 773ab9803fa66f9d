// Zendesk webhook (sent by a trigger): an agent's public reply and/or the ticket's status. The trigger's JSON body
// is ours to define (API.md, "Helpdesk webhooks"), built from placeholders, so every field may arrive as a string or empty.
import { z } from 'zod';
import { IntegrationError } from '../../types.ts';
import type { HelpdeskConfig, HelpdeskEvent, HelpdeskWebhookAdapter, RawHelpdeskWebhook, TicketStatus } from '../types.ts';
import { safeJson } from '../shared/errors.ts';
import { checkZendeskSignature } from './signature.ts';

// A placeholder with no value renders as "", which means "absent".
const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const id = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

const bodySchema = z.object({
  ticket_id: id,
  comment_id: optional(id),
  comment_body: optional(z.string()),
  author_role: optional(z.string()),
  author_name: optional(z.string()),
  status: optional(z.string()),
  external_id: optional(z.string()),
  public: optional(bool),
  account: optional(z.string()),
});

// Zendesk's statuses are ours, except 'hold' (waiting on a third party), which the customer sees as pending.
const STATUS: Record<string, TicketStatus | undefined> = { new: 'new', open: 'open', pending: 'pending', hold: 'pending', solved: 'solved', closed: 'closed' };
const AGENT_ROLES = new Set(['agent', 'admin']);

function body(req: RawHelpdeskWebhook): z.infer<typeof bodySchema> {
  const r = bodySchema.safeParse(safeJson(req.rawBody.toString('utf8')));
  if (!r.success) throw new IntegrationError('invalid_request', `Zendesk webhook body: ${r.error.message}`, { status: 400 });
  return r.data;
}

export const zendeskWebhook: HelpdeskWebhookAdapter = {
  name: 'zendesk',

  // The subdomain: put on the webhook URL (?account=acme) or in the trigger's body.
  routingKey(req) {
    if (req.query.account) return req.query.account;
    const account = (safeJson(req.rawBody.toString('utf8')) as { account?: unknown } | undefined)?.account;
    return typeof account === 'string' && account ? account : undefined;
  },

  verify(req, config: HelpdeskConfig, now) {
    const secret = config.credentials.webhookSecret;
    if (!secret) return { ok: false, status: 401, reason: 'no Zendesk webhook signing secret configured' };
    const check = checkZendeskSignature(secret, req.headers['x-zendesk-webhook-signature-timestamp'], req.headers['x-zendesk-webhook-signature'], req.rawBody, now);
    if (check === 'ok') return { ok: true };
    const reason = { missing: 'missing X-Zendesk-Webhook-Signature or its timestamp', stale: 'stale X-Zendesk-Webhook-Signature-Timestamp', bad: 'bad X-Zendesk-Webhook-Signature' }[check];
    return { ok: false, status: 401, reason };
  },

  parse(req) {
    const b = body(req);
    const events: HelpdeskEvent[] = [];
    const externalId = b.external_id ? { externalId: b.external_id } : {};
    // Only an agent's public comment reaches the customer: internal notes and the customer's own comments never do.
    const role = b.author_role?.toLowerCase();
    if (b.comment_id && b.comment_body && role && AGENT_ROLES.has(role) && b.public === true) {
      events.push({ type: 'agent_reply', ticketId: b.ticket_id, ...externalId, commentId: b.comment_id, body: b.comment_body, public: true, ...(b.author_name ? { agentName: b.author_name } : {}) });
    }
    const status = b.status ? STATUS[b.status.toLowerCase()] : undefined;
    if (status) events.push({ type: 'status', ticketId: b.ticket_id, ...externalId, status });
    return events;
  },

  ack: () => ({ status: 200, contentType: 'application/json', body: '{"received":true}' }),
};
