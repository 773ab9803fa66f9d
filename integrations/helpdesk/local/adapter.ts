// The built-in inbox: tickets in the document store, worked from the /inbox page. The embedded default help desk.
import { randomBytes } from 'node:crypto';
import type { Model } from 'mongoose';
import type { LocalTicketDoc } from '../../../models/localTicket.ts';
import { IntegrationError } from '../../types.ts';
import type { HelpdeskAdapter, HelpdeskComment, HelpdeskConfig, NewTicket, Requester, TicketPriority, TicketRef, TicketStatus } from '../types.ts';

export class LocalHelpdesk implements HelpdeskAdapter {
  readonly name = 'local' as const;

  constructor(private readonly tickets: Model<LocalTicketDoc>) {}

  async ensureRequester(_config: HelpdeskConfig, requester: Requester): Promise<{ requesterId: string }> {
    return { requesterId: requester.customerId };
  }

  async findOrCreateTicket(config: HelpdeskConfig, t: NewTicket): Promise<TicketRef & { created: boolean }> {
    const existing = await this.tickets.findOne({ externalId: t.externalId }).lean();
    if (existing) return { helpdesk: 'local', id: existing._id, externalId: t.externalId, url: `/inbox#${existing._id}`, created: false };
    const id = `tkt_${randomBytes(8).toString('hex')}`;
    const now = new Date();
    try {
      await this.tickets.create({
        _id: id,
        workspaceId: config.workspaceId,
        externalId: t.externalId,
        subject: t.subject,
        requester: t.requester,
        channel: t.channel,
        status: 'new',
        priority: t.priority,
        summary: t.summary,
        transcript: t.transcript,
        comments: [{ commentId: `${t.externalId}:transcript`, body: `${t.summary}\n\n${t.transcript}`, public: false, author: 'system', at: now }],
        createdAt: now,
        updatedAt: now,
      });
    } catch (e) {
      // The unique external id settles a race: the ticket that exists is the one.
      if ((e as { code?: number }).code !== 11000) throw e;
      return this.findOrCreateTicket(config, t);
    }
    return { helpdesk: 'local', id, externalId: t.externalId, url: `/inbox#${id}`, created: true };
  }

  private async load(ticket: TicketRef): Promise<LocalTicketDoc> {
    const doc = await this.tickets.findById(ticket.id).lean();
    if (!doc) throw new IntegrationError('not_found', `ticket ${ticket.id} not found`, { retryable: false, status: 404 });
    return doc;
  }

  async addComment(_config: HelpdeskConfig, ticket: TicketRef, c: HelpdeskComment): Promise<{ commentId: string; duplicate: boolean }> {
    const doc = await this.load(ticket);
    if (doc.comments.some((x) => x.commentId === c.messageId)) return { commentId: c.messageId, duplicate: true };
    const comment = { commentId: c.messageId, body: c.body, public: c.public, author: 'customer' as const, ...(c.authorName ? { authorName: c.authorName } : {}), at: new Date() };
    await this.tickets.updateOne({ _id: ticket.id }, { $push: { comments: comment }, $set: { updatedAt: new Date() } });
    return { commentId: c.messageId, duplicate: false };
  }

  async setStatus(_config: HelpdeskConfig, ticket: TicketRef, status: TicketStatus): Promise<void> {
    await this.load(ticket);
    await this.tickets.updateOne({ _id: ticket.id }, { $set: { status, updatedAt: new Date() } });
  }

  async setPriority(_config: HelpdeskConfig, ticket: TicketRef, priority: TicketPriority): Promise<void> {
    await this.load(ticket);
    await this.tickets.updateOne({ _id: ticket.id }, { $set: { priority, updatedAt: new Date() } });
  }
}
