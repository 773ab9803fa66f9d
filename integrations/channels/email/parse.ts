// Raw MIME → the fields a conversation needs. Attachment bytes are measured and dropped here, never stored.
import { convert } from 'html-to-text';
import { simpleParser, type AddressObject, type HeaderValue } from 'mailparser';
import { dkimVerdict, type DkimVerdict } from './dkim.ts';

export interface EmailAttachmentMeta {
  filename?: string;
  contentType: string;
  size: number;
  contentId?: string;
}

export interface ParsedEmail {
  /** Lower-cased address; undefined when the From header has no usable mailbox. */
  from?: { address: string; name?: string };
  to: string[];
  cc: string[];
  subject: string;
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  date?: Date;
  /** The whole body as text, quoted history included (see reply.ts for the new part). */
  text: string;
  attachments: EmailAttachmentMeta[];
  dkim: DkimVerdict;
  /** RFC 3834 auto-responses and bulk mail: answering them risks a mail loop. */
  autoSubmitted: boolean;
}

export interface ParseEmailOptions {
  /** The authserv-id of our own receiving MTA; when set, only its Authentication-Results are believed. */
  authServId?: string;
}

/** Local parts keep their case: a reply+<token> local part is case-sensitive. */
function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects
    .flatMap((o) => o.value)
    .flatMap((a) => (a.group ? a.group : [a]))
    .flatMap((a) => (a.address ? [a.address] : []));
}

function headerStrings(value: HeaderValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Gmail and Outlook quote earlier messages in blockquotes: rendering them as "> " lines lets reply.ts cut them. */
function htmlToText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable' },
    ],
  });
}

function isAutoSubmitted(headers: Map<string, HeaderValue>): boolean {
  const auto = headerStrings(headers.get('auto-submitted'))[0]?.trim().toLowerCase();
  const precedence = headers.get('precedence');
  const bulk = typeof precedence === 'string' && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence.trim().toLowerCase());
  return (auto !== undefined && auto !== 'no') || bulk || headers.has('x-autoreply') || headers.has('x-autorespond');
}

export async function parseEmail(raw: Buffer, opts: ParseEmailOptions = {}): Promise<ParsedEmail> {
  // mailparser's own HTML→text is skipped so that HTML-only mail goes through the quote-aware conversion above.
  const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true });
  const sender = mail.from?.value.flatMap((a) => (a.group ? a.group : [a])).find((a) => a.address);
  const from = sender?.address ? { address: sender.address.toLowerCase(), ...(sender.name ? { name: sender.name } : {}) } : undefined;
  const references = mail.references === undefined ? [] : Array.isArray(mail.references) ? mail.references : [mail.references];
  const text = mail.text?.trim() ? mail.text : typeof mail.html === 'string' ? htmlToText(mail.html) : '';
  const fromDomain = from?.address.slice(from.address.lastIndexOf('@') + 1);
  return {
    ...(from ? { from } : {}),
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    subject: mail.subject ?? '',
    ...(mail.messageId ? { messageId: mail.messageId } : {}),
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    references,
    ...(mail.date ? { date: mail.date } : {}),
    text: text.replace(/\r\n/g, '\n'),
    attachments: mail.attachments.map((a) => ({
      ...(a.filename ? { filename: a.filename } : {}),
      contentType: a.contentType,
      size: a.size,
      ...(a.cid ? { contentId: a.cid } : {}),
    })),
    dkim: dkimVerdict(headerStrings(mail.headers.get('authentication-results')), fromDomain, opts.authServId),
    autoSubmitted: isAutoSubmitted(mail.headers),
  };
}
