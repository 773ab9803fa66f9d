// Handoff to a human: tickets, comments, statuses at the workspace's help desk. Runs on the help-desk task queues,
// whose workers cap the rate per vendor.
import { z } from 'zod';
import { workspaceSettings, type WorkspaceSettings } from '../config/workspaceSettings.ts';
import { handoffNotice as noticeText } from '../integrations/helpdesk/businessHours.ts';
import type { HelpdeskAdapter, HelpdeskConfig, HelpdeskName, TicketPriority, TicketRef, TicketStatus } from '../integrations/helpdesk/types.ts';
import { IntegrationError } from '../integrations/types.ts';
import type { Models } from '../models/index.ts';
import { outboxKey } from '../models/outbox.ts';
import { ticketLinkKey } from '../models/ticket.ts';
import { mapFailures } from './errors.ts';

export interface HelpdeskDeps {
  models: Models;
  helpdesks: Partial<Record<HelpdeskName, HelpdeskAdapter>>;
}

const ticketRef = z.object({ helpdesk: z.enum(['local', 'zendesk', 'hubspot', 'salesforce']), id: z.string(), externalId: z.string(), url: z.string().optional() });
const openInput = z.object({ workspaceId: z.string(), conversationId: z.string(), customerId: z.string(), handoffSeq: z.number().int().positive(), channel: z.string(), reason: z.string() });

const AUTHOR: Record<string, string> = { customer: 'Customer', bot: 'Assistant', agent: 'Agent', system: 'System' };

export function createHelpdeskActivities(deps: HelpdeskDeps) {
  const { models } = deps;

  async function settingsOf(workspaceId: string): Promise<WorkspaceSettings> {
    const ws = await models.Workspace.findById(workspaceId).lean();
    return workspaceSettings(ws?.settings);
  }

  async function configFor(workspaceId: string, helpdesk: HelpdeskName): Promise<HelpdeskConfig> {
    if (helpdesk === 'local') return { workspaceId, helpdesk, routingKey: workspaceId, credentials: {}, settings: {} };
    const doc = await models.HelpdeskConfig.findOne({ workspaceId, helpdesk }).lean();
    if (!doc) throw new IntegrationError('invalid_request', `help desk ${helpdesk} is not configured for workspace ${workspaceId}`, { retryable: false });
    return { workspaceId, helpdesk, routingKey: doc.routingKey, credentials: doc.credentials, settings: doc.settings, ...(doc.baseUrl ? { baseUrl: doc.baseUrl } : {}) };
  }

  function adapter(name: HelpdeskName): HelpdeskAdapter {
    const a = deps.helpdesks[name];
    if (!a) throw new IntegrationError('invalid_request', `no adapter for help desk ${name}`, { retryable: false });
    return a;
  }

  return {
    /** The settings a conversation run works with: read at the start of each run. */
    async workspaceSettings(input: { workspaceId: string }): Promise<WorkspaceSettings> {
      return settingsOf(input.workspaceId);
    },

    /** What to tell the customer, and how long the first-response SLA is. */
    async handoffNotice(input: { workspaceId: string }): Promise<{ text: string; slaMs: number; helpdesk: HelpdeskName }> {
      const s = await settingsOf(input.workspaceId);
      return { text: noticeText(new Date(), s.businessHours, s.handoff.firstResponseSlaSeconds), slaMs: s.handoff.firstResponseSlaSeconds * 1000, helpdesk: s.helpdesk };
    },

    /** Finds or creates the ticket for this handoff, with the whole transcript as an internal note. */
    openTicket: mapFailures(async (raw: z.input<typeof openInput>): Promise<TicketRef> => {
      const input = openInput.parse(raw);
      const s = await settingsOf(input.workspaceId);
      const config = await configFor(input.workspaceId, s.helpdesk);
      const customer = await models.Customer.findById(input.customerId).lean();
      const ids = customer?.identifiers ?? [];
      const pick = (kind: string) => ids.find((i) => i.kind === kind && i.verified)?.value ?? ids.find((i) => i.kind === kind)?.value;
      const email = pick('email');
      const phone = pick('phone') ?? pick('whatsapp');
      const requester = { customerId: input.customerId, ...(customer?.name ? { name: customer.name } : {}), ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
      const messages = await models.Message.find({ conversationId: input.conversationId }).sort({ seq: 1 }).lean();
      const transcript = messages.map((m) => `[${new Date(m.at).toISOString()}] ${AUTHOR[m.author] ?? m.author} (${m.channel}): ${m.text}`).join('\n');
      const firstQuestion = messages.find((m) => m.author === 'customer')?.text ?? '';
      const lastTurns = messages.slice(-4).map((m) => `${AUTHOR[m.author]}: ${m.text}`).join('\n');
      const summary = `Handoff (${input.reason}) from ${input.channel}. First question: "${firstQuestion.slice(0, 300)}"\nLast turns:\n${lastTurns}`;
      const subject = firstQuestion ? firstQuestion.replace(/\s+/g, ' ').slice(0, 80) : `Conversation with ${requester.name ?? 'a customer'}`;
      const externalId = `threadline:${input.conversationId}:${input.handoffSeq}`;
      const hd = adapter(s.helpdesk);
      const { requesterId } = await hd.ensureRequester(config, requester);
      const ticket = await hd.findOrCreateTicket(config, { externalId, subject, requester, requesterId, channel: input.channel, priority: 'normal', transcript, summary });
      await models.TicketLink.updateOne(
        { _id: ticketLinkKey(ticket.helpdesk, input.workspaceId, ticket.id) },
        { $setOnInsert: { workspaceId: input.workspaceId, helpdesk: ticket.helpdesk, ticketId: ticket.id, externalId, conversationId: input.conversationId, customerId: input.customerId, ...(ticket.url ? { url: ticket.url } : {}), createdAt: new Date() } },
        { upsert: true },
      );
      return { helpdesk: ticket.helpdesk, id: ticket.id, externalId, ...(ticket.url ? { url: ticket.url } : {}) };
    }),

    /** One comment per message: the outbox remembers what the help desk already has. */
    addTicketComment: mapFailures(async (input: { workspaceId: string; conversationId: string; ticket: z.input<typeof ticketRef>; messageId: string; body: string; public: boolean; authorName?: string }): Promise<void> => {
      const ticket = ticketRef.parse(input.ticket);
      const key = outboxKey(input.messageId, `helpdesk:${ticket.helpdesk}`);
      const done = await models.Outbox.findById(key).lean();
      if (done?.status === 'sent') return;
      await models.Outbox.updateOne(
        { _id: key },
        { $setOnInsert: { workspaceId: input.workspaceId, conversationId: input.conversationId, messageId: input.messageId, channel: `helpdesk:${ticket.helpdesk}`, createdAt: new Date() }, $set: { status: 'pending', to: { ticket: ticket.id }, updatedAt: new Date() }, $inc: { attempts: 1 } },
        { upsert: true },
      );
      const config = await configFor(input.workspaceId, ticket.helpdesk);
      const r = await adapter(ticket.helpdesk).addComment(config, ticket, { messageId: input.messageId, body: input.body, public: input.public, ...(input.authorName ? { authorName: input.authorName } : {}) });
      await models.Outbox.updateOne({ _id: key }, { $set: { status: 'sent', vendorMessageId: r.commentId, updatedAt: new Date() } });
    }),

    setTicketStatus: mapFailures(async (input: { workspaceId: string; ticket: z.input<typeof ticketRef>; status: TicketStatus }): Promise<void> => {
      const ticket = ticketRef.parse(input.ticket);
      await adapter(ticket.helpdesk).setStatus(await configFor(input.workspaceId, ticket.helpdesk), ticket, input.status);
    }),

    setTicketPriority: mapFailures(async (input: { workspaceId: string; ticket: z.input<typeof ticketRef>; priority: TicketPriority }): Promise<void> => {
      const ticket = ticketRef.parse(input.ticket);
      await adapter(ticket.helpdesk).setPriority(await configFor(input.workspaceId, ticket.helpdesk), ticket, input.priority);
    }),
  };
}
