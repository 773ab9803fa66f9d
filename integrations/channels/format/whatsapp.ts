// WhatsApp's own markup: *bold*, _italic_, ~strike~, ```mono```; links stay bare (WhatsApp has no link labels).
import type { ReplyContent } from '../types.ts';
import { composeChat } from './compose.ts';
import { bareLink, bullet, type Dialect } from './render.ts';

export const WHATSAPP_TEXT_LIMIT = 4096;

export const whatsappDialect: Dialect = {
  markers: { bold: ['*', '*'], italic: ['_', '_'], strike: ['~', '~'], code: ['```', '```'] },
  headingMarks: ['bold'],
  escape: (t) => t,
  link: bareLink,
  block: (b, inline) => {
    const line = b.kind === 'code' ? '```\n' + inline + '\n```' : b.kind === 'item' ? bullet(b, '• ') + inline : inline;
    return b.quoted ? line.split('\n').map((l) => `> ${l}`).join('\n') : line;
  },
};

export function formatWhatsAppText(reply: ReplyContent, limit = WHATSAPP_TEXT_LIMIT): string {
  return composeChat(reply, {
    dialect: whatsappDialect,
    limit,
    sourcesHeading: 'Sources:',
    citation: (c) => `• ${c.title.trim() ? `${c.title.trim()}: ` : ''}${c.url}`,
    ellipsis: '…',
  });
}
