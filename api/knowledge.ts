// Starting an ingestion: a source record, then the ingestion workflow (shared by the API, `npm start` and `npm run ingest`).
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Services } from '../config/services.ts';
import { ingestSource } from '../workflows/ingest.ts';
import { randomId } from './keys.ts';

export type KnowledgeSourceSpec = { type: 'files'; paths: string[] } | { type: 'url'; url: string } | { type: 'sitemap'; url: string };

/**
 * A source is identified by where it reads from: posting the same sitemap, URL or folders again re-syncs that
 * source (unchanged pages are skipped, removed pages deleted) instead of creating a second copy.
 */
export async function startIngestion(
  services: Services,
  req: { workspaceId: string; source: KnowledgeSourceSpec },
  taskQueue = services.env.TEMPORAL_TASK_QUEUE,
): Promise<{ sourceId: string; workflowId: string; resynced: boolean }> {
  const { KnowledgeSource } = services.knowledge;
  const { source, workspaceId } = req;
  const location = source.type === 'files' ? { paths: source.paths } : { url: source.url };
  const existing = await KnowledgeSource.findOne({ workspaceId, type: source.type, ...location, status: { $ne: 'deleted' } }).lean();
  const sourceId = existing?._id ?? randomId('src');
  const workflowId = `ingest:${workspaceId}:${sourceId}`;
  if (!existing) await KnowledgeSource.create({ _id: sourceId, workspaceId, type: source.type, ...location, status: 'queued', workflowId });
  else if (existing.status !== 'running') await KnowledgeSource.updateOne({ _id: sourceId }, { $set: { status: 'queued' } });
  try {
    await services.temporal.workflow.start(ingestSource, { workflowId, taskQueue, args: [{ workspaceId, sourceId, source }] });
  } catch (err) {
    // Already syncing: that run will do.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return { sourceId, workflowId, resynced: !!existing };
}
