// Pages are cut into overlapping windows of whole sentences that never cross a section boundary,
// so every chunk can carry its page title and section heading.
import type { KnowledgeChunk } from '../types.ts';
import type { ExtractedPage } from './extract.ts';
import { sha256 } from './hash.ts';
import { joinSentences, sentenceUnits, wordCount, type SentenceUnit } from './sentences.ts';

export interface ChunkOptions {
  /** A window closes before it would pass this many words. */
  maxWords: number;
  /** Words of the previous window repeated at the start of the next. */
  overlapWords: number;
}

/** Bump when chunking changes, so stored pages are re-indexed even though their text did not change. */
export const CHUNKER_VERSION = 'chunk-v2';

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { maxWords: 180, overlapWords: 30 };

export interface PageToChunk extends ExtractedPage {
  url: string;
  sourceId: string;
  pageHash: string;
}

/** Stable across runs, so re-ingesting a page overwrites its chunks instead of adding new ones. */
export function chunkId(url: string, index: number): string {
  return sha256(`${url}#${index}`).slice(0, 32);
}

/** What gets embedded: title and heading give a short chunk the context its sentences leave implicit. */
export function embeddingText(chunk: Pick<KnowledgeChunk, 'title' | 'heading' | 'text'>): string {
  return [chunk.title, chunk.heading, chunk.text].filter(Boolean).join('\n');
}

/**
 * A sentence longer than a whole window (a run-on list, text without full stops) is cut into
 * overlap-sized pieces, so windows can still close under the cap and still overlap.
 */
function boundedSentences(text: string, opts: ChunkOptions): SentenceUnit[] {
  const piece = Math.max(10, opts.overlapWords);
  return sentenceUnits(text).flatMap((s) => {
    const words = s.text.split(/\s+/);
    if (words.length <= opts.maxWords) return [s];
    const parts: SentenceUnit[] = [];
    for (let i = 0; i < words.length; i += piece) {
      const part: SentenceUnit = { text: words.slice(i, i + piece).join(' '), startsLine: i === 0 && s.startsLine };
      if (i === 0 && s.marker) part.marker = s.marker;
      parts.push(part);
    }
    return parts;
  });
}

export function windows(text: string, opts: ChunkOptions = DEFAULT_CHUNK_OPTIONS): string[] {
  const sentences = boundedSentences(text, opts);
  const counts = sentences.map((s) => wordCount(s.text));
  const out: string[] = [];
  let start = 0;
  while (start < sentences.length) {
    let end = start;
    let words = 0;
    while (end < sentences.length && (end === start || words + counts[end]! <= opts.maxWords)) words += counts[end++]!;
    out.push(joinSentences(sentences.slice(start, end)));
    if (end >= sentences.length) break;
    // Step back over whole sentences worth about overlapWords, but always move forward.
    let next = end;
    let overlap = 0;
    while (next - 1 > start && overlap + counts[next - 1]! <= opts.overlapWords) overlap += counts[--next]!;
    if (next === end && end - 1 > start && counts[end - 1]! <= opts.maxWords / 2) next = end - 1;
    start = next;
  }
  return out;
}

export function chunkPage(page: PageToChunk, opts: ChunkOptions = DEFAULT_CHUNK_OPTIONS): KnowledgeChunk[] {
  const chunks: KnowledgeChunk[] = [];
  for (const section of page.sections) {
    for (const text of windows(section.text, opts)) {
      chunks.push({
        id: chunkId(page.url, chunks.length),
        sourceId: page.sourceId,
        url: page.url,
        title: page.title,
        heading: section.heading,
        text,
        pageHash: page.pageHash,
      });
    }
  }
  return chunks;
}
