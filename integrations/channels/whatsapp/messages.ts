// One WhatsApp message → Threadline's inbound message. Types a customer cannot usefully send to support
// (reactions, orders, system notices, "unsupported") map to nothing.
import type { Attachment, InboundMessageEvent } from '../types.ts';
import type { WaMessage } from './payload.ts';

const MEDIA = ['image', 'audio', 'video', 'document', 'sticker'] as const;

function content(m: WaMessage): { text: string; attachments: Attachment[]; meta?: Record<string, unknown> } | undefined {
  if (m.type === 'text' && m.text) return { text: m.text.body, attachments: [] };
  if (m.type === 'interactive' && m.interactive) {
    const reply = m.interactive.button_reply ?? m.interactive.list_reply;
    if (!reply) return undefined;
    return { text: reply.title, attachments: [], meta: { interactive: { type: m.interactive.type, id: reply.id } } };
  }
  if (m.type === 'button' && m.button) return { text: m.button.text, attachments: [], meta: { button: { payload: m.button.payload } } };
  if (m.type === 'location' && m.location) {
    const { latitude, longitude, name, address } = m.location;
    return { text: `${latitude},${longitude}`, attachments: [], meta: { location: { latitude, longitude, name, address } } };
  }
  const kind = MEDIA.find((k) => k === m.type);
  const media = kind ? m[kind] : undefined;
  if (!media) return undefined;
  const attachment: Attachment = { ref: media.id, ...(media.mime_type ? { contentType: media.mime_type } : {}), ...(media.filename ? { filename: media.filename } : {}) };
  return { text: media.caption ?? '', attachments: [attachment], meta: { mediaType: kind } };
}

export function toInboundMessage(m: WaMessage, phoneNumberId: string, name: string | undefined): InboundMessageEvent | undefined {
  const c = content(m);
  if (!c) return undefined;
  const seconds = Number(m.timestamp);
  const meta = { ...c.meta, ...(m.context?.id ? { inReplyTo: m.context.id } : {}) };
  return {
    type: 'message',
    channel: 'whatsapp',
    vendorMessageId: m.id,
    sender: { kind: 'whatsapp', value: m.from, ...(name ? { name } : {}) },
    text: c.text,
    attachments: c.attachments,
    ...(Number.isFinite(seconds) && seconds > 0 ? { at: new Date(seconds * 1000).toISOString() } : {}),
    replyAddress: { to: m.from, phoneNumberId },
    ...(Object.keys(meta).length ? { meta } : {}),
  };
}
