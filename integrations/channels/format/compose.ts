// Answer + sources within a character limit, for the chat media (WhatsApp, Messenger, Instagram, Slack).
import type { ReplyContent } from '../types.ts';
import type { Citation } from '../../types.ts';
import { uniqueCitations } from './citations.ts';
import { fitBlocks } from './fit.ts';
import { parseMarkdown } from './markdown.ts';
import { renderBlocks, type Dialect } from './render.ts';

export interface ChatMedium {
  dialect: Dialect;
  limit: number;
  /** The heading line above the sources, already in the medium's syntax. */
  sourcesHeading: string;
  citation(c: Citation): string;
  ellipsis: string;
}

export function composeChat(reply: ReplyContent, m: ChatMedium): string {
  const blocks = parseMarkdown(reply.text);
  let lines = uniqueCitations(reply.citations, reply.text).map((c) => m.citation(c));
  const tailOf = (ls: string[]) => (ls.length ? `\n\n${m.sourcesHeading}\n${ls.join('\n')}` : '');
  // Sources may take at most half the room: the answer itself matters more than a long list of links.
  while (lines.length && tailOf(lines).length > m.limit / 2) lines = lines.slice(0, -1);
  const tail = tailOf(lines);
  return fitBlocks(blocks, {
    render: (bs) => renderBlocks(bs, m.dialect),
    fits: (t) => t.trim().length <= m.limit,
    tail,
    suffix: (endsSentence) => (endsSentence ? '' : m.ellipsis) + tail,
  }).trim();
}
