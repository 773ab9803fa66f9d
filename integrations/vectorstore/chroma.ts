// Chroma as the vector store: one collection per workspace and embedder, our own vectors only.
import {
  ChromaClient,
  ChromaConnectionError,
  ChromaForbiddenError,
  ChromaNotFoundError,
  ChromaQuotaExceededError,
  ChromaRateLimitError,
  ChromaServerError,
  ChromaUnauthorizedError,
  ChromaValueError,
  InvalidArgumentError,
  InvalidCollectionError,
  type Collection,
  type Metadata,
} from 'chromadb';
import { createHash } from 'node:crypto';
import { IntegrationError, type KnowledgeChunk, type ScoredChunk, type VectorStore } from '../types.ts';

export interface ChromaVectorStoreOptions {
  url: string;
  embedderName: string;
  dimensions: number;
}

const UPSERT_BATCH = 500;

/**
 * Chroma names allow [a-zA-Z0-9._-], 3–512 long, alphanumeric at both ends. When cleaning changes
 * the name, a hash of the original keeps two workspaces from landing in one collection.
 */
export function collectionName(workspaceId: string, embedderName: string, dimensions: number): string {
  const raw = `tl_${workspaceId}_${embedderName}_${dimensions}`;
  let name = raw.replace(/[^a-zA-Z0-9._-]+/g, '-').replace(/\.{2,}/g, '.');
  if (name !== raw) name += `-${createHash('sha256').update(raw).digest('hex').slice(0, 8)}`;
  if (name.length > 200) name = `${name.slice(0, 180)}-${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;
  return name.replace(/^[^a-zA-Z0-9]+/, '').replace(/[^a-zA-Z0-9]+$/, '');
}

export function toIntegrationError(err: unknown, action: string): IntegrationError {
  if (err instanceof IntegrationError) return err;
  const message = `Chroma ${action}: ${err instanceof Error ? err.message : String(err)}`;
  const opts = { cause: err };
  if (err instanceof ChromaRateLimitError) return new IntegrationError('rate_limited', message, { ...opts, status: 429 });
  if (err instanceof ChromaConnectionError || err instanceof ChromaServerError) return new IntegrationError('unavailable', message, opts);
  if (err instanceof ChromaUnauthorizedError || err instanceof ChromaForbiddenError) return new IntegrationError('unauthorized', message, opts);
  if (err instanceof ChromaNotFoundError) return new IntegrationError('not_found', message, opts);
  if (err instanceof ChromaQuotaExceededError) return new IntegrationError('invalid_request', message, { ...opts, retryable: false });
  if (err instanceof ChromaValueError || err instanceof InvalidArgumentError || err instanceof InvalidCollectionError) {
    return new IntegrationError('invalid_request', message, opts);
  }
  return new IntegrationError('unknown', message, opts);
}

function metadataOf(chunk: KnowledgeChunk): Metadata {
  return { sourceId: chunk.sourceId, url: chunk.url, title: chunk.title, heading: chunk.heading, pageHash: chunk.pageHash };
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export class ChromaVectorStore implements VectorStore {
  private readonly client: ChromaClient;
  private readonly collections = new Map<string, Promise<Collection>>();

  constructor(private readonly opts: ChromaVectorStoreOptions) {
    const url = new URL(opts.url);
    const ssl = url.protocol === 'https:';
    this.client = new ChromaClient({ host: url.hostname, port: Number(url.port || (ssl ? 443 : 80)), ssl });
  }

  collectionName(workspaceId: string): string {
    return collectionName(workspaceId, this.opts.embedderName, this.opts.dimensions);
  }

  private collection(workspaceId: string): Promise<Collection> {
    const name = this.collectionName(workspaceId);
    let pending = this.collections.get(name);
    if (!pending) {
      pending = this.client.getOrCreateCollection({
        name,
        // null, not undefined: undefined makes the client load its default embedding model, which we never use.
        embeddingFunction: null,
        configuration: { hnsw: { space: 'cosine' } },
        metadata: { embedder: this.opts.embedderName, dimensions: this.opts.dimensions },
      });
      // A failed lookup is not remembered, so the next call tries again.
      pending.catch(() => this.collections.delete(name));
      this.collections.set(name, pending);
    }
    return pending;
  }

  /** Runs op on the workspace's collection; once more on a fresh handle if the collection vanished (deleted by hand or reset). */
  private async withCollection<T>(workspaceId: string, action: string, op: (c: Collection) => Promise<T>): Promise<T> {
    try {
      try {
        return await op(await this.collection(workspaceId));
      } catch (err) {
        if (!(err instanceof ChromaNotFoundError)) throw err;
        this.collections.delete(this.collectionName(workspaceId));
        return await op(await this.collection(workspaceId));
      }
    } catch (err) {
      throw toIntegrationError(err, action);
    }
  }

  async upsert(workspaceId: string, chunks: KnowledgeChunk[], embeddings: number[][]): Promise<void> {
    if (chunks.length !== embeddings.length) {
      throw new IntegrationError('invalid_request', `upsert: ${chunks.length} chunks but ${embeddings.length} embeddings`, { retryable: false });
    }
    if (chunks.length === 0) return;
    await this.withCollection(workspaceId, 'upsert', async (c) => {
      for (let i = 0; i < chunks.length; i += UPSERT_BATCH) {
        const batch = chunks.slice(i, i + UPSERT_BATCH);
        await c.upsert({
          ids: batch.map((ch) => ch.id),
          embeddings: embeddings.slice(i, i + UPSERT_BATCH),
          documents: batch.map((ch) => ch.text),
          metadatas: batch.map(metadataOf),
        });
      }
    });
  }

  async query(workspaceId: string, embedding: number[], k: number): Promise<ScoredChunk[]> {
    const result = await this.withCollection(workspaceId, 'query', (c) =>
      c.query({ queryEmbeddings: [embedding], nResults: k, include: ['documents', 'metadatas', 'distances'] }),
    );
    const ids = result.ids[0] ?? [];
    return ids.map((id, i) => {
      const meta = result.metadatas[0]?.[i] ?? {};
      const distance = result.distances[0]?.[i] ?? 1;
      return {
        id,
        sourceId: str(meta.sourceId),
        url: str(meta.url),
        title: str(meta.title),
        heading: str(meta.heading),
        pageHash: str(meta.pageHash),
        text: result.documents[0]?.[i] ?? '',
        // Cosine distance is 1 - similarity and can stray a hair outside [0, 2] through float error.
        score: Math.min(1, Math.max(0, 1 - distance)),
      };
    });
  }

  async deleteByUrl(workspaceId: string, url: string): Promise<void> {
    await this.withCollection(workspaceId, 'delete by url', (c) => c.delete({ where: { url: { $eq: url } } }));
  }

  async deleteBySource(workspaceId: string, sourceId: string): Promise<void> {
    await this.withCollection(workspaceId, 'delete by source', (c) => c.delete({ where: { sourceId: { $eq: sourceId } } }));
  }

  async ping(): Promise<void> {
    try {
      await this.client.heartbeat();
    } catch (err) {
      throw toIntegrationError(err, 'heartbeat');
    }
  }
}
