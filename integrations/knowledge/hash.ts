import { createHash } from 'node:crypto';
import type { ExtractedPage } from './extract.ts';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Hash of what we index (title, headings, text), not of the raw bytes: a new ad banner or a CSRF token does not re-embed a page. */
export function contentHash(page: ExtractedPage): string {
  const parts = [page.title, ...page.sections.flatMap((s) => [s.heading, s.text])];
  return sha256(parts.join('\u0000'));
}
