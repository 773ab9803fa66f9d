// Ingests one knowledge source: discover its pages, index them a few at a time, drop pages it no longer has.
import { ActivityFailure, condition, continueAsNew, log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createKnowledgeActivities } from '../activities/knowledge.ts';
import type { SourceSpec } from '../integrations/knowledge/discover.ts';

type KnowledgeActivities = ReturnType<typeof createKnowledgeActivities>;

export interface IngestProgress {
  pagesDone: number;
  pagesUnchanged: number;
  pagesFailed: number;
  chunks: number;
}

export interface IngestSourceInput {
  workspaceId: string;
  sourceId: string;
  source: SourceSpec;
  /** Set by continue-as-new: the pages found at the start, how many are handled, and the counts so far. */
  resume?: { urls: string[]; offset: number; progress: IngestProgress };
}

export interface IngestSourceResult extends IngestProgress {
  status: 'done';
  pagesTotal: number;
  removed: number;
}

/** Pages indexed at once: enough to overlap fetching and embedding, few enough to be gentle with the site. */
export const INGEST_CONCURRENCY = 4;
/** Pages per run before continue-as-new, so a big site never makes a history too long to replay. */
export const PAGES_PER_RUN = 500;

const retry = { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const { discoverPages, removeStalePages, setSourceStatus } = proxyActivities<KnowledgeActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { ...retry, maximumAttempts: 5 },
});
const { ingestPage } = proxyActivities<KnowledgeActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { ...retry, maximumAttempts: 4 },
});

function describe(err: unknown): string {
  // The activity's own message sits in the cause; the ActivityFailure around it only says "activity failed".
  const inner = err instanceof ActivityFailure && err.cause ? err.cause : err;
  return (inner instanceof Error ? inner.message : String(inner)).slice(0, 2000);
}

export async function ingestSource(input: IngestSourceInput): Promise<IngestSourceResult> {
  const { workspaceId, sourceId, source } = input;
  const ids = { workspaceId, sourceId };
  const where = source.type === 'files' ? source.paths.join(', ') : source.url;

  let urls: string[];
  if (input.resume) {
    urls = input.resume.urls;
  } else {
    await setSourceStatus({ ...ids, status: 'running', resetProgress: true, workflowId: workflowInfo().workflowId });
    try {
      ({ urls } = await discoverPages({ ...ids, source }));
    } catch (err) {
      await setSourceStatus({ ...ids, status: 'failed', errors: [{ url: where, message: describe(err) }] });
      throw err;
    }
  }

  // The workflow keeps the counts and is the only writer of the source document while pages run:
  // concurrent updates of one document lose writes on FerretDB, and absolute numbers make retries harmless.
  const progress: IngestProgress = { ...(input.resume?.progress ?? { pagesDone: 0, pagesUnchanged: 0, pagesFailed: 0, chunks: 0 }) };
  const failures: { url: string; message: string }[] = [];
  let dirty = false;
  let pagesFinished = false;

  const reporter = async () => {
    for (;;) {
      await condition(() => dirty || pagesFinished);
      if (!dirty) return;
      dirty = false;
      const errors = failures.splice(0);
      try {
        await setSourceStatus({ ...ids, progress: { ...progress }, errors });
      } catch (err) {
        // Progress is for display; the final status write carries the totals again.
        log.warn('progress update failed', { sourceId, error: describe(err) });
      }
    }
  };

  const stop = Math.min(urls.length, (input.resume?.offset ?? 0) + PAGES_PER_RUN);
  let next = input.resume?.offset ?? 0;
  const worker = async () => {
    while (next < stop && !workflowInfo().continueAsNewSuggested) {
      const url = urls[next++]!;
      try {
        const { outcome, chunks } = await ingestPage({ ...ids, url });
        progress.pagesDone++;
        if (outcome === 'unchanged') progress.pagesUnchanged++;
        progress.chunks += chunks;
      } catch (err) {
        // One bad page is recorded, not fatal: the rest of the source is still worth having.
        progress.pagesFailed++;
        failures.push({ url, message: describe(err) });
      }
      dirty = true;
    }
  };

  const reporting = reporter();
  await Promise.all(Array.from({ length: INGEST_CONCURRENCY }, worker));
  pagesFinished = true;
  await reporting;

  if (next < urls.length) {
    return continueAsNew<typeof ingestSource>({ ...input, resume: { urls, offset: next, progress } });
  }

  try {
    const { removed } = await removeStalePages({ ...ids, keepUrls: urls });
    await setSourceStatus({ ...ids, status: 'done', progress });
    return { status: 'done', pagesTotal: urls.length, ...progress, removed };
  } catch (err) {
    await setSourceStatus({ ...ids, status: 'failed', progress, errors: [{ url: where, message: describe(err) }] });
    throw err;
  }
}
