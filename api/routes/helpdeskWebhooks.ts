// Help-desk webhooks: an agent's public reply or a status change, verified over the raw bytes, signalled to the
// conversation that owns the ticket.
import express, { Router } from 'express';
import type { Services } from '../../config/services.ts';
import type { HelpdeskConfig, HelpdeskEvent, HelpdeskWebhookAdapter } from '../../integrations/helpdesk/types.ts';
import { helpdeskWebhookRoutes } from '../../integrations/registry.ts';
import { helpdeskConfigKey } from '../../models/helpdeskConfig.ts';
import { ticketLinkKey } from '../../models/ticket.ts';
import { agentMessageSignal, ticketStatusSignal } from '../../workflows/conversation.messages.ts';
import { ApiError, badRequest, notFound } from '../errors.ts';
import { rawWebhook } from './channels.ts';

async function findConfig(services: Services, adapter: HelpdeskWebhookAdapter, key: string): Promise<HelpdeskConfig | undefined> {
  const doc = await services.models.HelpdeskConfig.findById(helpdeskConfigKey(adapter.name, key)).lean();
  return doc ? { workspaceId: doc.workspaceId, helpdesk: doc.helpdesk, routingKey: doc.routingKey, credentials: doc.credentials, settings: doc.settings, ...(doc.baseUrl ? { baseUrl: doc.baseUrl } : {}) } : undefined;
}

async function dispatch(services: Services, config: HelpdeskConfig, ev: HelpdeskEvent): Promise<void> {
  const { TicketLink } = services.models;
  const link =
    (await TicketLink.findById(ticketLinkKey(config.helpdesk, config.workspaceId, ev.ticketId)).lean()) ??
    (ev.externalId ? await TicketLink.findOne({ externalId: ev.externalId, helpdesk: config.helpdesk, workspaceId: config.workspaceId }).lean() : null);
  // A ticket Threadline did not open (or another workspace's) is not ours to act on.
  if (!link || link.workspaceId !== config.workspaceId) return;
  const handle = services.temporal.workflow.getHandle(link.conversationId);
  const at = new Date().toISOString();
  if (ev.type === 'agent_reply') {
    if (!ev.public) return; // internal notes never reach the customer
    // The comment id makes the message id: a webhook delivered twice is one message (the workflow dedupes).
    await handle.signal(agentMessageSignal, { messageId: `agent:${config.helpdesk}:${ev.commentId}`, text: ev.body, at, ...(ev.agentName ? { agentName: ev.agentName } : {}) });
  } else {
    await handle.signal(ticketStatusSignal, { status: ev.status, at });
  }
}

export function helpdeskWebhooksRouter(services: Services): Router {
  const r = Router();
  for (const [path, adapter] of Object.entries(helpdeskWebhookRoutes)) {
    r.post(`/${path}`, express.raw({ type: () => true, limit: services.env.BODY_LIMIT }), async (req, res) => {
      const raw = rawWebhook(req, services.env.PUBLIC_BASE_URL);
      const key = adapter.routingKey(raw);
      if (!key) throw badRequest('unroutable', 'the webhook does not say which account it is for');
      const config = await findConfig(services, adapter, key);
      if (!config) throw notFound(`a help desk for account '${key}'`);
      const verified = adapter.verify(raw, config, new Date());
      if (!verified.ok) throw new ApiError(verified.status, 'invalid_signature', verified.reason);
      let events: HelpdeskEvent[];
      try {
        events = adapter.parse(raw, config);
      } catch (err) {
        throw badRequest('invalid_payload', `the webhook payload could not be read: ${(err as Error).message}`);
      }
      for (const ev of events) await dispatch(services, config, ev);
      const ack = adapter.ack();
      res.status(ack.status).type(ack.contentType).send(ack.body);
    });
  }
  return r;
}
