// Server-Sent Events of a conversation's new messages. The history store is the source, so any API process
// can serve a stream no matter which worker wrote the message.
import type { Request, Response } from 'express';
import type { Services } from '../config/services.ts';
import type { MessageDoc } from '../models/message.ts';

export function toPublicMessage(m: MessageDoc) {
  return {
    messageId: m.messageId,
    author: m.author,
    channel: m.channel,
    text: m.text,
    at: new Date(m.at).toISOString(),
    ...(m.citations?.length ? { citations: m.citations.map(({ title, url }) => ({ title, url })) } : {}),
  };
}

const POLL_MS = 700;
const KEEPALIVE_MS = 15_000;

export async function streamMessages(services: Services, req: Request, res: Response, conversationId: string): Promise<void> {
  const { Message } = services.models;
  // Resume after the last event the client saw; otherwise start from now (the client loads history itself).
  const resumeFrom = Number(req.headers['last-event-id']);
  let lastSeq = Number.isFinite(resumeFrom) && resumeFrom > 0
    ? resumeFrom
    : ((await Message.findOne({ conversationId }).sort({ seq: -1 }).select({ seq: 1 }).lean())?.seq ?? 0);

  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 2000\n\n');

  let closed = false;
  let busy = false;
  const poll = async () => {
    if (closed || busy) return;
    busy = true;
    try {
      const fresh = await Message.find({ conversationId, seq: { $gt: lastSeq } }).sort({ seq: 1 }).limit(100).lean();
      for (const m of fresh) {
        if (closed) break;
        res.write(`id: ${m.seq}\nevent: message\ndata: ${JSON.stringify(toPublicMessage(m))}\n\n`);
        lastSeq = m.seq;
      }
    } catch (err) {
      services.log.warn({ err }, 'stream poll failed');
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), POLL_MS);
  const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
  req.on('close', () => {
    closed = true;
    clearInterval(timer);
    clearInterval(keepalive);
  });
}
