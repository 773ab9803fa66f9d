// Zendesk Support through the official node-zendesk SDK: requesters are users keyed by external_id, a handoff is a
// ticket keyed by external_id (which Zendesk does not keep unique, so we look before we create), messages are comments.
import { z } from 'zod';
import { IntegrationError } from '../../types.ts';
import type { HelpdeskAdapter, HelpdeskComment, HelpdeskConfig, NewTicket, Requester, TicketPriority, TicketRef, TicketStatus } from '../types.ts';
import { commentText, displayName, handoffNote } from '../shared/text.ts';
import { zendeskClient, zendeskOrigin, type ZendeskClient, type ZendeskOptions } from './client.ts';
import { parseZendesk, ticketSchema, ticketUpdateSchema, userSchema } from './schemas.ts';

export type { ZendeskOptions } from './client.ts';

// Zendesk's priorities and statuses are ours, word for word ('hold' is the one status we never set).
const PRIORITY = { low: 'low', normal: 'normal', high: 'high', urgent: 'urgent' } as const satisfies Record<TicketPriority, string>;

function numericId(ref: TicketRef): number {
  if (!/^\d+$/.test(ref.id)) throw new IntegrationError('invalid_request', `Zendesk ticket id "${ref.id}" is not numeric`, { retryable: false });
  return Number(ref.id);
}

export class ZendeskHelpdesk implements HelpdeskAdapter {
  readonly name = 'zendesk' as const;

  constructor(private readonly opts: ZendeskOptions = {}) {}

  private client(config: HelpdeskConfig): ZendeskClient {
    return zendeskClient(config, this.opts);
  }

  private ref(config: HelpdeskConfig, id: number, externalId: string): TicketRef {
    return { helpdesk: 'zendesk', id: String(id), externalId, url: `${zendeskOrigin(config, this.opts)}/agent/tickets/${id}` };
  }

  // create_or_update matches on external_id (or email), so calling it again updates the same user.
  async ensureRequester(config: HelpdeskConfig, requester: Requester): Promise<{ requesterId: string }> {
    const { result } = await this.client(config).users.createOrUpdate({
      user: {
        external_id: requester.customerId,
        name: displayName(requester),
        ...(requester.email ? { email: requester.email } : {}),
        ...(requester.phone ? { phone: requester.phone } : {}),
      },
    });
    return { requesterId: String(parseZendesk(userSchema, result, 'user').id) };
  }

  async findOrCreateTicket(config: HelpdeskConfig, ticket: NewTicket): Promise<TicketRef & { created: boolean }> {
    const client = this.client(config);
    const found = parseZendesk(z.array(ticketSchema), await client.tickets.listWithFilter('external_id', ticket.externalId), 'ticket list');
    // Zendesk lets two tickets share an external_id (a race we lost, or someone's import): the oldest one is the ticket.
    const existing = found.filter((t) => t.external_id === ticket.externalId).sort((a, b) => a.id - b.id)[0];
    if (existing) return { ...this.ref(config, existing.id, ticket.externalId), created: false };
    if (!/^\d+$/.test(ticket.requesterId)) throw new IntegrationError('invalid_request', `Zendesk requester id "${ticket.requesterId}" is not numeric`, { retryable: false });
    const { result } = await client.tickets.create({
      ticket: {
        external_id: ticket.externalId,
        subject: ticket.subject,
        requester_id: Number(ticket.requesterId),
        priority: PRIORITY[ticket.priority],
        // The first comment is the ticket's description; internal, so the customer never gets the transcript by email.
        comment: { body: handoffNote(ticket.summary, ticket.transcript), public: false },
        tags: ['threadline', ticket.channel],
      },
    });
    return { ...this.ref(config, parseZendesk(ticketSchema, result, 'ticket').id, ticket.externalId), created: true };
  }

  // Zendesk has no idempotency key for comments: a retry after a lost response adds the comment again, so the
  // caller's outbox is what keeps it once. `duplicate` is therefore always false.
  async addComment(config: HelpdeskConfig, ticket: TicketRef, comment: HelpdeskComment): Promise<{ commentId: string; duplicate: boolean }> {
    // The transporter returns the raw `{ticket, audit}`; tickets.update keeps only the ticket, and the audit names the comment.
    const { result } = await this.client(config).tickets.transporter.request('PUT', ['tickets', numericId(ticket)], {
      ticket: { comment: { body: commentText(comment), public: comment.public } },
    });
    const { audit } = parseZendesk(ticketUpdateSchema, result, 'ticket update');
    const event = audit.events.find((e) => e.type === 'Comment');
    if (!event) throw new IntegrationError('unknown', `Zendesk: the update of ticket ${ticket.id} recorded no comment`, { retryable: false });
    return { commentId: String(event.id), duplicate: false };
  }

  async setStatus(config: HelpdeskConfig, ticket: TicketRef, status: TicketStatus): Promise<void> {
    await this.client(config).tickets.update(numericId(ticket), { ticket: { status } });
  }

  async setPriority(config: HelpdeskConfig, ticket: TicketRef, priority: TicketPriority): Promise<void> {
    await this.client(config).tickets.update(numericId(ticket), { ticket: { priority: PRIORITY[priority] } });
  }
}
