// Slack mrkdwn: *bold*, _italic_, ~strike~, `code`, <url|label> links; &, < and > must be escaped in text.
import type { ReplyContent } from '../types.ts';
import { composeChat } from './compose.ts';
import { bullet, type Dialect } from './render.ts';

/** Slack cuts text past 40,000 characters and advises 4,000 for one readable message. */
export const SLACK_TEXT_LIMIT = 4000;

const escapeText = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackLink(label: string, href: string): string {
  const l = escapeText(label.trim()).replace(/\|/g, '¦');
  const url = href.replace(/>/g, '%3E').replace(/\|/g, '%7C');
  return l && l !== href ? `<${url}|${l}>` : `<${url}>`;
}

export const slackDialect: Dialect = {
  markers: { bold: ['*', '*'], italic: ['_', '_'], strike: ['~', '~'], code: ['`', '`'] },
  headingMarks: ['bold'],
  escape: escapeText,
  link: slackLink,
  block: (b, inline) => {
    const line = b.kind === 'code' ? '```\n' + inline + '\n```' : b.kind === 'item' ? bullet(b, '• ') + inline : inline;
    return b.quoted ? line.split('\n').map((l) => `> ${l}`).join('\n') : line;
  },
};

export function formatSlackText(reply: ReplyContent, limit = SLACK_TEXT_LIMIT): string {
  return composeChat(reply, {
    dialect: slackDialect,
    limit,
    sourcesHeading: '*Sources:*',
    citation: (c) => `• ${slackLink(c.title || c.url, c.url)}`,
    ellipsis: '…',
  });
}
