// One Messenger / Instagram messaging event → Threadline events.
import type { Attachment, ChannelName, InboundEvent } from '../types.ts';
import type { Messaging } from './payload.ts';

const CONTENT_TYPE: Record<string, string> = { image: 'image/*', video: 'video/*', audio: 'audio/*' };

export function toEvents(e: Messaging, channel: Extract<ChannelName, 'messenger' | 'instagram'>, accountId: string): InboundEvent[] {
  const at = e.timestamp ? { at: new Date(e.timestamp).toISOString() } : {};
  const sender = { kind: channel, value: e.sender.id };
  const replyAddress = { recipientId: e.sender.id };
  // Our own page's messages come back as echoes (and from the account id itself); they are not the customer's.
  if (e.sender.id === accountId) return [];
  if (e.message && !e.message.is_echo) {
    const attachments: Attachment[] = (e.message.attachments ?? []).flatMap((a) =>
      a.payload?.url ? [{ ref: a.payload.url, ...(CONTENT_TYPE[a.type] ? { contentType: CONTENT_TYPE[a.type] } : {}) }] : [],
    );
    const meta = {
      ...(e.message.quick_reply ? { quickReplyPayload: e.message.quick_reply.payload } : {}),
      ...(e.message.reply_to?.mid ? { inReplyTo: e.message.reply_to.mid } : {}),
    };
    return [{ type: 'message', channel, vendorMessageId: e.message.mid, sender, text: e.message.text ?? '', attachments, ...at, replyAddress, ...(Object.keys(meta).length ? { meta } : {}) }];
  }
  if (e.postback?.mid) {
    // A tapped button ("Get started", a persistent menu item) reads as its title; its payload travels in meta.
    return [{ type: 'message', channel, vendorMessageId: e.postback.mid, sender, text: e.postback.title ?? '', attachments: [], ...at, replyAddress, meta: { postbackPayload: e.postback.payload } }];
  }
  // Messenger reports reads by watermark only; those carry no message ids and cannot be matched to a delivery.
  const statusOf = (mids: string[] | undefined, status: 'delivered' | 'read'): InboundEvent[] =>
    (mids ?? []).map((mid) => ({ type: 'status', channel, vendorMessageId: mid, status }));
  if (e.delivery) return statusOf(e.delivery.mids, 'delivered');
  if (e.read) return statusOf(e.read.mids ?? (e.read.mid ? [e.read.mid] : undefined), 'read');
  return [];
}
