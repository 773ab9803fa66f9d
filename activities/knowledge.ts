// Ingestion steps of a knowledge source. Each is safe to retry: re-running one finds its work done.
import type { Connection } from 'mongoose';
import { z } from 'zod';
import type { Logger } from '../config/logger.ts';
import { CHUNKER_VERSION, embeddingText } from '../integrations/knowledge/chunk.ts';
import { discover, sourceSpecSchema } from '../integrations/knowledge/discover.ts';
import { preparePage } from '../integrations/knowledge/prepare.ts';
import type { Embedder, VectorStore } from '../integrations/types.ts';
import { knowledgeModels } from '../models/knowledgeModels.ts';
import { MAX_SOURCE_ERRORS } from '../models/knowledgeSource.ts';
import { mapFailures } from './errors.ts';

const ids = { workspaceId: z.string().min(1), sourceId: z.string().min(1) };
const discoverInput = z.object({ ...ids, source: sourceSpecSchema });
const ingestInput = z.object({ ...ids, url: z.string().min(1) });
const removeInput = z.object({ ...ids, keepUrls: z.array(z.string()) });
const problem = z.object({ url: z.string(), message: z.string().max(2000) });
const statusInput = z.object({
  ...ids,
  status: z.enum(['running', 'done', 'failed']).optional(),
  workflowId: z.string().optional(),
  /** Start of a fresh run: progress and errors go back to zero. */
  resetProgress: z.boolean().optional(),
  /** Absolute counts kept by the workflow (a retried call writes the same numbers again). */
  progress: z
    .object({ pagesDone: z.number().int().min(0), pagesUnchanged: z.number().int().min(0), pagesFailed: z.number().int().min(0), chunks: z.number().int().min(0) })
    .optional(),
  /** Failures to list (pages that failed after their retries, or the source itself). */
  errors: z.array(problem).max(1000).optional(),
});

export type DiscoverPagesInput = z.input<typeof discoverInput>;
export type IngestPageInput = z.input<typeof ingestInput>;
export type RemoveStalePagesInput = z.input<typeof removeInput>;
export type SetSourceStatusInput = z.input<typeof statusInput>;
export type IngestOutcome = 'indexed' | 'unchanged' | 'skipped';

export interface KnowledgeActivityDeps {
  conn: Connection;
  vectorStore: VectorStore;
  embedder: Embedder;
  log: Logger;
}

export function createKnowledgeActivities(deps: KnowledgeActivityDeps) {
  const { KnowledgeSource, KnowledgePage } = knowledgeModels(deps.conn);
  const { vectorStore, embedder, log } = deps;
  const indexVersion = `${embedder.name}:${embedder.dimensions}:${CHUNKER_VERSION}`;
  // A deleted source stays deleted, whatever a late activity of its last run says.
  const live = (workspaceId: string, sourceId: string) => ({ _id: sourceId, workspaceId, status: { $ne: 'deleted' as const } });

  return {
    /** Lists the source's pages and records how many there are. */
    discoverPages: mapFailures(async (input: DiscoverPagesInput): Promise<{ urls: string[] }> => {
      const { workspaceId, sourceId, source } = discoverInput.parse(input);
      const urls = await discover(source);
      await KnowledgeSource.updateOne(live(workspaceId, sourceId), { $set: { pagesTotal: urls.length } });
      log.info({ workspaceId, sourceId, pages: urls.length }, 'knowledge source discovered');
      return { urls };
    }),

    /** Fetches, extracts, chunks and embeds one page; an unchanged page is only counted. */
    ingestPage: mapFailures(async (input: IngestPageInput): Promise<{ outcome: IngestOutcome; chunks: number }> => {
      const { workspaceId, sourceId, url } = ingestInput.parse(input);
      if (!(await KnowledgeSource.exists(live(workspaceId, sourceId)))) return { outcome: 'skipped', chunks: 0 };

      const { title, hash, chunks } = await preparePage(url, sourceId);
      const stored = await KnowledgePage.findOne({ workspaceId, url }).lean();
      if (stored && stored.hash === hash && stored.indexVersion === indexVersion && stored.sourceId === sourceId) {
        return { outcome: 'unchanged', chunks: stored.chunkCount };
      }

      const embeddings = chunks.length ? await embedder.embed(chunks.map(embeddingText)) : [];
      // Old chunks go first: a page that shrank would otherwise keep its tail.
      await vectorStore.deleteByUrl(workspaceId, url);
      await vectorStore.upsert(workspaceId, chunks, embeddings);
      // The hash is written last, so a crash before this point re-indexes the page on retry.
      await KnowledgePage.updateOne(
        { workspaceId, url },
        { $set: { sourceId, title, hash, indexVersion, chunkCount: chunks.length } },
        { upsert: true },
      );
      log.debug({ workspaceId, sourceId, url, chunks: chunks.length }, 'knowledge page indexed');
      return { outcome: 'indexed', chunks: chunks.length };
    }),

    /** Removes pages of the source that its latest discovery no longer lists, from Chroma and Mongo. */
    removeStalePages: mapFailures(async (input: RemoveStalePagesInput): Promise<{ removed: number }> => {
      const { workspaceId, sourceId, keepUrls } = removeInput.parse(input);
      const keep = new Set(keepUrls);
      const pages = await KnowledgePage.find({ workspaceId, sourceId }, { url: 1 }).lean();
      const stale = pages.map((p) => p.url).filter((u) => !keep.has(u));
      for (const url of stale) {
        await vectorStore.deleteByUrl(workspaceId, url);
        await KnowledgePage.deleteOne({ workspaceId, sourceId, url });
      }
      if (stale.length) log.info({ workspaceId, sourceId, removed: stale.length }, 'stale knowledge pages removed');
      return { removed: stale.length };
    }),

    /**
     * The one writer of the source document during a run: the workflow calls it one call at a time.
     * FerretDB rewrites a whole document per update, so concurrent $inc or $push on one document lose writes.
     */
    setSourceStatus: mapFailures(async (input: SetSourceStatusInput): Promise<void> => {
      const { workspaceId, sourceId, status, workflowId, resetProgress, progress, errors } = statusInput.parse(input);
      const set: Record<string, unknown> = { ...progress };
      if (status) set.status = status;
      if (workflowId) set.workflowId = workflowId;
      if (resetProgress) Object.assign(set, { pagesTotal: 0, pagesDone: 0, pagesUnchanged: 0, pagesFailed: 0, chunks: 0, errors: [] });
      let fresh: { url: string; message: string }[] = [];
      if (errors?.length && !resetProgress) {
        const source = await KnowledgeSource.findOne(live(workspaceId, sourceId), { errors: 1 }).lean();
        const listed = new Set((source?.errors ?? []).map((e) => e.url));
        // Skipping listed urls makes a retried call a no-op; the list stops at its cap (pagesFailed keeps counting).
        fresh = errors.filter((e) => !listed.has(e.url)).slice(0, Math.max(0, MAX_SOURCE_ERRORS - listed.size));
      }
      const update: Record<string, unknown> = {};
      if (Object.keys(set).length) update.$set = set;
      if (fresh.length) update.$push = { errors: { $each: fresh } };
      if (Object.keys(update).length) await KnowledgeSource.updateOne(live(workspaceId, sourceId), update);
    }),
  };
}
