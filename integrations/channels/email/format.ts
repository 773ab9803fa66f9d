// A reply as an email: HTML from the answer's markdown (marked), cleaned by sanitize-html because the text comes
// from a language model or an agent and must not smuggle scripts, styles or remote images into a mail client,
// plus a plain-text alternative derived from that same HTML so both parts say the same thing.
import { convert } from 'html-to-text';
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import type { Citation } from '../../types.ts';
import type { ReplyContent } from '../types.ts';

export interface EmailBody {
  text: string;
  html: string;
  subject?: string;
}

const markdown = new Marked({ gfm: true, breaks: true, async: false });

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: sanitizeHtml.defaults.allowedTags,
  allowedAttributes: { a: ['href', 'title'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
};

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A source is only worth listing if the customer can open it. */
const openable = (c: Citation): boolean => /^https?:\/\//i.test(c.url);

function citationsHtml(citations: Citation[]): string {
  if (!citations.length) return '';
  const items = citations.map((c) => `<li><a href="${escapeHtml(c.url)}">${escapeHtml(c.title)}</a></li>`).join('');
  return `<p>Sources:</p><ul>${items}</ul>`;
}

function citationsText(citations: Citation[]): string {
  if (!citations.length) return '';
  return `\n\nSources:\n${citations.map((c) => `- ${c.title} — ${c.url}`).join('\n')}`;
}

function htmlToPlain(html: string): string {
  return convert(html, {
    wordwrap: 78,
    selectors: [
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
      ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    ],
  });
}

export function format(reply: ReplyContent, opts: { subject?: string } = {}): EmailBody {
  const citations = reply.citations.filter(openable);
  const body = sanitizeHtml(markdown.parse(reply.text) as string, sanitizeOptions);
  return {
    text: htmlToPlain(body).trim() + citationsText(citations),
    html: sanitizeHtml(body + citationsHtml(citations), sanitizeOptions),
    ...(opts.subject ? { subject: opts.subject } : {}),
  };
}
