// Starting an ingestion: a source record, then the ingestion workflow (shared by the API, `npm start` and `npm run ingest`).
import type { Services } from '../config/services.ts';
import { ingestSource } from '../workflows/ingest.ts';
import { randomId } from './keys.ts';

export type KnowledgeSourceSpec = { type: 'files'; paths: string[] } | { type: 'url'; url: string } | { type: 'sitemap'; url: string };

export async function startIngestion(
  services: Services,
  req: { workspaceId: string; source: KnowledgeSourceSpec },
  taskQueue = services.env.TEMPORAL_TASK_QUEUE,
): Promise<{ sourceId: string; workflowId: string }> {
  const sourceId = randomId('src');
  const workflowId = `ingest:${req.workspaceId}:${sourceId}`;
  await services.knowledge.KnowledgeSource.create({
    _id: sourceId,
    workspaceId: req.workspaceId,
    type: req.source.type,
    ...(req.source.type === 'files' ? { paths: req.source.paths } : { url: req.source.url }),
    status: 'queued',
    workflowId,
  });
  await services.temporal.workflow.start(ingestSource, {
    workflowId,
    taskQueue,
    args: [{ workspaceId: req.workspaceId, sourceId, source: req.source }],
  });
  return { sourceId, workflowId };
}
