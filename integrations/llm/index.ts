import type { Env } from '../../config/env.ts';
import type { AnswerProvider } from '../types.ts';
import { ExtractiveAnswerer } from './offline.ts';
import { OpenAIAnswerer } from './openai.ts';

/** OpenAI (or a compatible server) when a key is set; otherwise the offline extractive answerer. */
export function createAnswerer(env: Env): AnswerProvider {
  if (!env.OPENAI_API_KEY) return new ExtractiveAnswerer({ minConfidence: env.ANSWER_MIN_CONFIDENCE });
  return new OpenAIAnswerer({
    apiKey: env.OPENAI_API_KEY,
    model: env.OPENAI_MODEL,
    baseURL: env.OPENAI_BASE_URL,
    minConfidence: env.ANSWER_MIN_CONFIDENCE,
  });
}
