import { z } from 'zod';
import type { Embedder, ScoredChunk, VectorStore } from '../integrations/types.ts';
import { mapFailures } from './errors.ts';

const retrieveInput = z.object({
  workspaceId: z.string().min(1),
  query: z.string(),
  k: z.number().int().min(1).max(50).default(5),
});

export function createRetrievalActivities(deps: { vectorStore: VectorStore; embedder: Embedder }) {
  return {
    /** The k chunks of the workspace's knowledge base closest to the query, best first. */
    retrieve: mapFailures(async (input: z.input<typeof retrieveInput>): Promise<ScoredChunk[]> => {
      const { workspaceId, query, k } = retrieveInput.parse(input);
      if (!query.trim()) return [];
      const [embedding] = await deps.embedder.embed([query]);
      return deps.vectorStore.query(workspaceId, embedding!, k);
    }),
  };
}
