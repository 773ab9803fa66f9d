// SMS: plain text priced per segment. GSM-7 fits 160 characters in one segment (153 when concatenated),
// anything outside it switches the whole message to UCS-2 (70 / 67), so the cap is counted in segments.
import { SegmentedMessage } from 'sms-segments-calculator';
import type { ReplyContent } from '../types.ts';
import { uniqueCitations } from './citations.ts';
import { fitBlocks } from './fit.ts';
import { parseMarkdown } from './markdown.ts';
import { plainDialect } from './plain.ts';
import { renderBlocks } from './render.ts';

export const DEFAULT_MAX_SEGMENTS = 3;

export interface SmsCount {
  segments: number;
  encoding: 'GSM-7' | 'UCS-2';
}

export function smsSegments(text: string): SmsCount {
  const m = new SegmentedMessage(text);
  return { segments: m.segmentsCount, encoding: m.encodingName };
}

/**
 * Twilio's Smart Encoding table (curly quotes, dashes, "…", bullets → GSM-7 look-alikes), applied before
 * sending so a stray typographic quote does not double the message's cost by forcing UCS-2.
 */
export function toGsmLookalikes(text: string): string {
  return new SegmentedMessage(text, 'auto', true).graphemes.join('');
}

export interface SmsFormatOptions {
  maxSegments?: number;
  /** Where the full answer can be read when the SMS has to be cut (defaults to the first citation). */
  moreUrl?: string;
}

export function formatSms(reply: ReplyContent, opts: SmsFormatOptions = {}): string {
  const max = opts.maxSegments ?? DEFAULT_MAX_SEGMENTS;
  const fits = (t: string) => smsSegments(t).segments <= max;
  const blocks = parseMarkdown(reply.text);
  const render = (bs: Parameters<typeof renderBlocks>[0]) => toGsmLookalikes(renderBlocks(bs, plainDialect));
  const body = render(blocks);
  const urls = uniqueCitations(reply.citations, body).map((c) => c.url);
  // As many source URLs as fit after the whole answer; past that the answer itself is cut.
  for (let n = urls.length; n > 0; n--) {
    const text = [body, ...urls.slice(0, n)].join('\n').trim();
    if (fits(text)) return text;
  }
  const more = opts.moreUrl ?? reply.citations[0]?.url;
  return fitBlocks(blocks, {
    render,
    fits,
    tail: more && !body.includes(more) ? `\n${more}` : '',
    suffix: (endsSentence) => (endsSentence ? '' : '...') + (more ? `\nMore: ${more}` : ''),
  }).trim();
}
