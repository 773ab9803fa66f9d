// Fetch → extract → hash → chunk for one page: the part of ingestion that needs no database.
import type { KnowledgeChunk } from '../types.ts';
import { chunkPage } from './chunk.ts';
import { extractPage } from './extract.ts';
import { fetchPage, type FetchOptions } from './fetch.ts';
import { contentHash } from './hash.ts';

export interface PreparedPage {
  url: string;
  title: string;
  hash: string;
  chunks: KnowledgeChunk[];
}

export async function preparePage(url: string, sourceId: string, opts: FetchOptions = {}): Promise<PreparedPage> {
  const fetched = await fetchPage(url, opts);
  const page = extractPage(fetched.body, fetched.kind);
  const hash = contentHash(page);
  return { url, title: page.title, hash, chunks: chunkPage({ ...page, url, sourceId, pageHash: hash }) };
}
