import type { Env } from '../../config/env.ts';
import type { Embedder } from '../types.ts';
import { LocalHashEmbedder } from './local.ts';
import { OpenAIEmbedder } from './openai.ts';

/** EMBEDDINGS=auto uses OpenAI when a key is set, else the local hashed embedder. */
export function createEmbedder(env: Env): Embedder {
  const useOpenAI = env.EMBEDDINGS === 'openai' || (env.EMBEDDINGS === 'auto' && !!env.OPENAI_API_KEY);
  if (!useOpenAI) return new LocalHashEmbedder();
  if (!env.OPENAI_API_KEY) throw new Error('EMBEDDINGS=openai needs OPENAI_API_KEY');
  return new OpenAIEmbedder({ apiKey: env.OPENAI_API_KEY, model: env.OPENAI_EMBEDDING_MODEL, baseURL: env.OPENAI_BASE_URL });
}
