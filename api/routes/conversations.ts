import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../config/services.ts';
import { modes, requestHandoffSignal, stateQuery, type ConversationState } from '../../workflows/conversation.messages.ts';
import { validateBody } from '../middleware/validate.ts';
import { notFound } from '../errors.ts';
import { auth, requireKey } from '../middleware/auth.ts';
import { parseQuery } from '../middleware/validate.ts';
import { toPublicMessage } from '../stream.ts';

const handoffBody = z.object({ reason: z.string().trim().min(1).max(200).optional() }).strict();

const listQuery = z
  .object({
    customerId: z.string().max(100).optional(),
    mode: z.enum(modes).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export function conversationsRouter(services: Services): Router {
  const { models } = services;
  const r = Router();
  const read = requireKey(models, 'conversations:read');

  r.get('/', read, async (req, res) => {
    const q = parseQuery(listQuery, req.query);
    const filter = { workspaceId: auth(req).workspaceId, ...(q.customerId ? { customerId: q.customerId } : {}), ...(q.mode ? { mode: q.mode } : {}) };
    const rows = await models.Conversation.find(filter).sort({ updatedAt: -1 }).limit(q.limit).lean();
    res.json({ conversations: rows.map(({ _id, ...rest }) => ({ conversationId: _id, ...rest })) });
  });

  r.get('/:conversationId', read, async (req, res) => {
    const id = String(req.params.conversationId);
    const conv = await models.Conversation.findOne({ _id: id, workspaceId: auth(req).workspaceId }).lean();
    if (!conv) throw notFound('conversation');
    const messages = await models.Message.find({ conversationId: id }).sort({ seq: 1 }).lean();
    // The workflow knows the live mode; the read model is the fallback when it cannot answer.
    let live: ConversationState | undefined;
    try {
      live = await services.temporal.workflow.getHandle(id).query(stateQuery);
    } catch {
      live = undefined;
    }
    res.json({
      conversationId: id,
      customerId: conv.customerId,
      mode: live?.mode ?? conv.mode,
      channels: live?.channels ?? conv.channels,
      lastChannel: live?.lastChannel ?? conv.lastChannel,
      ticket: live?.ticket ?? (await models.TicketLink.findOne({ conversationId: id }).sort({ createdAt: -1 }).lean().then((l) => (l ? { helpdesk: l.helpdesk, id: l.ticketId, externalId: l.externalId, url: l.url } : null))),
      messages: messages.map(toPublicMessage),
    });
  });

  r.post('/:conversationId/handoff', requireKey(models, 'conversations:write'), validateBody(handoffBody.optional()), async (req, res) => {
    const id = String(req.params.conversationId);
    const conv = await models.Conversation.findOne({ _id: id, workspaceId: auth(req).workspaceId }).lean();
    if (!conv) throw notFound('conversation');
    const reason = (req.body as z.infer<typeof handoffBody> | undefined)?.reason;
    await services.temporal.workflow.getHandle(id).signal(requestHandoffSignal, { reason: reason ?? 'requested_by_api' });
    res.status(202).json({ conversationId: id, handoff: 'requested' });
  });

  return r;
}
