import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Services } from '../../config/services.ts';
import type { WidgetSessionDoc } from '../../models/widgetSession.ts';
import { conversationId } from '../../workflows/conversation.messages.ts';
import { notFound, unauthorized } from '../errors.ts';
import { linkProven } from '../identity/link.ts';
import { mergeCustomers } from '../identity/merge.ts';
import { resolveWidgetIdentity } from '../identity/widget.ts';
import { sendInbound } from '../inbound.ts';
import { generateSecret, randomId, sha256 } from '../keys.ts';
import { bearer } from '../middleware/auth.ts';
import { validateBody } from '../middleware/validate.ts';
import { streamMessages, toPublicMessage } from '../stream.ts';

const sessionBody = z
  .object({
    workspace: z.string().min(1).max(64),
    identity: z.object({ userId: z.string().min(1).max(200), email: z.string().email().max(320).optional(), name: z.string().max(200).optional() }).strict().optional(),
    userHash: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be a hex HMAC-SHA256').optional(),
    identityToken: z.string().min(10).max(4096).optional(),
    sessionId: z.string().min(1).max(100).optional(),
  })
  .strict();

const messageBody = z
  .object({
    text: z.string().trim().min(1, 'text is empty').max(4000),
    clientMessageId: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'letters, digits and _.:- only, at most 100'),
  })
  .strict();

export function widgetRouter(services: Services, opts: { taskQueue?: string } = {}): Router {
  const { models } = services;
  const r = Router();

  async function session(req: Request): Promise<WidgetSessionDoc> {
    const token = bearer(req) ?? (typeof req.query.token === 'string' ? req.query.token : undefined);
    if (!token) throw unauthorized('a widget session token is required');
    const s = await models.WidgetSession.findOne({ tokenHash: sha256(token) }).lean();
    if (!s) throw unauthorized('unknown or expired widget session');
    return s;
  }

  r.post('/sessions', validateBody(sessionBody), async (req, res) => {
    const body = req.body as z.infer<typeof sessionBody>;
    const ws = await models.Workspace.findById(body.workspace).lean();
    if (!ws) throw notFound(`workspace '${body.workspace}'`);
    const earlier = body.sessionId ? await models.WidgetSession.findOne({ _id: body.sessionId, workspaceId: ws._id }).lean() : null;
    const who = await resolveWidgetIdentity(models, ws, body, earlier?.customerId);
    let customerId = who.customerId;
    // The anonymous customer of this browser joins the signed-in user; proven email/phone link or merge.
    if (who.joins) customerId = (await mergeCustomers(services, ws._id, customerId, who.joins, opts.taskQueue)).survivorId;
    if (who.proven.length) customerId = await linkProven(services, ws._id, customerId, who.proven, opts.taskQueue);
    const token = generateSecret('wst');
    const sessionId = earlier?._id ?? randomId('ses');
    await models.WidgetSession.updateOne(
      { _id: sessionId },
      {
        $set: { workspaceId: ws._id, customerId, tokenHash: sha256(token), verified: who.verified, lastSeenAt: new Date() },
        $setOnInsert: { createdAt: new Date() },
      },
      { upsert: true },
    );
    res.status(earlier ? 200 : 201).json({ sessionId, token, customerId, verified: who.verified, ...(who.reason ? { reason: who.reason } : {}) });
  });

  r.post('/messages', validateBody(messageBody), async (req, res) => {
    const s = await session(req);
    const body = req.body as z.infer<typeof messageBody>;
    const outcome = await sendInbound(
      services,
      { workspaceId: s.workspaceId, customerId: s.customerId, channel: 'web', channelMessageId: `${s._id}:${body.clientMessageId}`, text: body.text },
      opts.taskQueue,
    );
    if (outcome.pending) {
      res.status(202).json({ conversationId: outcome.conversationId, mode: 'bot', pending: true });
      return;
    }
    let reply = outcome.reply;
    if (reply && outcome.duplicate) {
      // The workflow remembers only the reply's id for an old message: the text is in the history store.
      const stored = await models.Message.findOne({ conversationId: outcome.conversationId, messageId: reply.messageId }).lean();
      reply = stored ? { ...reply, text: stored.text, citations: stored.citations ?? [] } : reply;
    }
    res.json({
      conversationId: outcome.conversationId,
      mode: outcome.mode,
      ...(reply ? { reply: { messageId: reply.messageId, text: reply.text, citations: (reply.citations ?? []).map(({ title, url }) => ({ title, url })) } } : {}),
    });
  });

  r.get('/history', async (req, res) => {
    const s = await session(req);
    const messages = await models.Message.find({ conversationId: conversationId(s.workspaceId, s.customerId) })
      .sort({ seq: 1 })
      .limit(500)
      .lean();
    res.json({ messages: messages.map(toPublicMessage) });
  });

  r.get('/stream', async (req, res) => {
    const s = await session(req);
    await streamMessages(services, req, res, conversationId(s.workspaceId, s.customerId));
  });

  return r;
}
