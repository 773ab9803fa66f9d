// The built-in agent inbox: list tickets, read the transcript, reply, solve. Agents use a workspace API key.
import { Router } from 'express';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Services } from '../../config/services.ts';
import { agentMessageSignal, ticketStatusSignal } from '../../workflows/conversation.messages.ts';
import { ticketLinkKey } from '../../models/ticket.ts';
import { notFound } from '../errors.ts';
import { auth, requireKey } from '../middleware/auth.ts';
import { parseQuery, validateBody } from '../middleware/validate.ts';
import { toPublicMessage } from '../stream.ts';

const statuses = ['new', 'open', 'pending', 'solved', 'closed'] as const;
const replyBody = z.object({ text: z.string().trim().min(1).max(10_000), public: z.boolean().default(true), agentName: z.string().max(100).optional() }).strict();
const statusBody = z.object({ status: z.enum(statuses) }).strict();
const listQuery = z.object({ status: z.enum(statuses).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

export function inboxRouter(services: Services): Router {
  const { LocalTicket, TicketLink, Message } = services.models;
  const r = Router();
  const read = requireKey(services.models, 'conversations:read');
  const write = requireKey(services.models, 'conversations:write');

  async function ticketOf(workspaceId: string, id: string) {
    const t = await LocalTicket.findOne({ _id: id, workspaceId }).lean();
    if (!t) throw notFound('ticket');
    const link = await TicketLink.findById(ticketLinkKey('local', workspaceId, id)).lean();
    if (!link) throw notFound('ticket');
    return { t, link };
  }

  r.get('/tickets', read, async (req, res) => {
    const q = parseQuery(listQuery, req.query);
    const rows = await LocalTicket.find({ workspaceId: auth(req).workspaceId, ...(q.status ? { status: q.status } : {}) }).sort({ updatedAt: -1 }).limit(q.limit).lean();
    res.json({ tickets: rows.map((t) => ({ id: t._id, subject: t.subject, status: t.status, priority: t.priority, channel: t.channel, requester: t.requester, updatedAt: t.updatedAt })) });
  });

  r.get('/tickets/:id', read, async (req, res) => {
    const { t, link } = await ticketOf(auth(req).workspaceId, String(req.params.id));
    const messages = await Message.find({ conversationId: link.conversationId }).sort({ seq: 1 }).lean();
    res.json({
      id: t._id,
      subject: t.subject,
      status: t.status,
      priority: t.priority,
      channel: t.channel,
      requester: t.requester,
      summary: t.summary,
      conversationId: link.conversationId,
      comments: t.comments,
      transcript: messages.map(toPublicMessage),
    });
  });

  r.post('/tickets/:id/replies', write, validateBody(replyBody), async (req, res) => {
    const { t, link } = await ticketOf(auth(req).workspaceId, String(req.params.id));
    const body = req.body as z.infer<typeof replyBody>;
    const commentId = `c_${randomBytes(8).toString('hex')}`;
    const at = new Date();
    await LocalTicket.updateOne(
      { _id: t._id },
      { $push: { comments: { commentId, body: body.text, public: body.public, author: 'agent', ...(body.agentName ? { authorName: body.agentName } : {}), at } }, $set: { status: t.status === 'new' ? 'open' : t.status, updatedAt: at } },
    );
    // Internal notes stay in the help desk; a public reply goes to the customer.
    if (body.public) {
      await services.temporal.workflow.getHandle(link.conversationId).signal(agentMessageSignal, { messageId: `agent:local:${commentId}`, text: body.text, at: at.toISOString(), ...(body.agentName ? { agentName: body.agentName } : {}) });
    }
    res.status(201).json({ commentId, public: body.public });
  });

  r.post('/tickets/:id/status', write, validateBody(statusBody), async (req, res) => {
    const { t, link } = await ticketOf(auth(req).workspaceId, String(req.params.id));
    const { status } = req.body as z.infer<typeof statusBody>;
    await LocalTicket.updateOne({ _id: t._id }, { $set: { status, updatedAt: new Date() } });
    await services.temporal.workflow.getHandle(link.conversationId).signal(ticketStatusSignal, { status, at: new Date().toISOString() });
    res.json({ id: t._id, status });
  });

  return r;
}
