// Plain text for media that show no markup (SMS, Messenger, Instagram): marks vanish, links are bare URLs.
import type { ReplyContent } from '../types.ts';
import { composeChat } from './compose.ts';
import { bareLink, bullet, type Dialect } from './render.ts';

export const plainDialect: Dialect = {
  markers: {},
  omit: ['strike'],
  escape: (t) => t,
  link: bareLink,
  // Left-out text leaves its surrounding spaces behind; code keeps its own spacing.
  block: (b, inline) => {
    const text = b.kind === 'code' ? inline : inline.replace(/(\S) {2,}(?=\S)/g, '$1 ');
    return b.kind === 'item' ? bullet(b, '• ') + text : text;
  },
};

export function formatPlain(reply: ReplyContent, limit: number): string {
  return composeChat(reply, {
    dialect: plainDialect,
    limit,
    sourcesHeading: 'Sources:',
    citation: (c) => `• ${c.title.trim() ? `${c.title.trim()}: ` : ''}${c.url}`,
    ellipsis: '…',
  });
}
