// Embeddings from OpenAI or any server that speaks its embeddings API (base URL configurable).
import OpenAI from 'openai';
import { openAIError } from '../llm/openaiErrors.ts';
import { IntegrationError, type Embedder } from '../types.ts';

export interface OpenAIEmbedderOptions {
  apiKey: string;
  model: string;
  baseURL?: string;
  /** Vector size; text-embedding-3 models can shorten theirs on request. Defaults to the model's known size. */
  dimensions?: number;
  timeoutMs?: number;
}

const KNOWN_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

// The API takes up to 2048 inputs a call; smaller batches keep each request well under its token limit.
const BATCH = 256;

export class OpenAIEmbedder implements Embedder {
  readonly name: string;
  readonly dimensions: number;
  private readonly client: OpenAI;
  private readonly model: string;
  private readonly requestDimensions: number | undefined;

  constructor(opts: OpenAIEmbedderOptions) {
    this.model = opts.model;
    this.dimensions = opts.dimensions ?? KNOWN_DIMENSIONS[opts.model] ?? 1536;
    this.requestDimensions = opts.dimensions;
    this.name = `openai-${opts.model}`;
    // Retries belong to the Temporal activity, which honours Retry-After; SDK retries would stack under it.
    this.client = new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseURL, maxRetries: 0, timeout: opts.timeoutMs ?? 30_000 });
  }

  async embed(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      // The API rejects empty strings; a single space embeds to "nothing said".
      const input = texts.slice(i, i + BATCH).map((t) => (t.trim() ? t : ' '));
      let data: OpenAI.Embeddings.Embedding[];
      try {
        const res = await this.client.embeddings.create({
          model: this.model,
          input,
          encoding_format: 'float',
          ...(this.requestDimensions ? { dimensions: this.requestDimensions } : {}),
        });
        data = res.data;
      } catch (err) {
        throw openAIError(err, 'embeddings');
      }
      const vectors = [...data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
      if (vectors.length !== input.length || vectors.some((v) => v.length !== this.dimensions)) {
        throw new IntegrationError('invalid_request', `embeddings: expected ${input.length} vectors of ${this.dimensions} numbers from ${this.model}`, { retryable: false });
      }
      out.push(...vectors);
    }
    return out;
  }
}
