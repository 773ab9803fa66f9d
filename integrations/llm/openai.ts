// Grounded answers from a chat model (OpenAI or any compatible server): it may use only the numbered chunks.
import OpenAI from 'openai';
import { z } from 'zod';
import type { Answer, AnswerInput, AnswerProvider, Citation, ScoredChunk } from '../types.ts';
import { ABSTAIN_TEXT } from './offline.ts';
import { openAIError } from './openaiErrors.ts';

export interface OpenAIAnswererOptions {
  apiKey: string;
  model: string;
  baseURL?: string;
  minConfidence: number;
  timeoutMs?: number;
  /** Earlier turns of the conversation sent along, newest last. */
  historyTurns?: number;
}

const SYSTEM_PROMPT = [
  'You are the support assistant of a company. Answer the customer using ONLY the numbered help-center excerpts in the last message.',
  'Rules:',
  '- Every fact in your answer must come from the excerpts; cite the excerpt numbers you used.',
  '- If the excerpts do not answer the question, say you do not know, cite nothing, and set confidence below 0.2. Never guess or use outside knowledge.',
  '- If the customer asks for a person, or the question needs their account or order looked up, set confidence to 0.',
  '- Be brief: one to three sentences, plain text, no markdown, in the language of the question.',
  'Reply with a JSON object only: {"answer": string, "citations": number[], "confidence": number between 0 and 1}.',
].join('\n');

const replySchema = z.object({
  answer: z.string().default(''),
  citations: z.array(z.coerce.number().int()).default([]),
  confidence: z.coerce.number().min(0).max(1).catch(0),
});

function excerpts(chunks: ScoredChunk[]): string {
  return chunks
    .map((c, i) => `[${i + 1}] ${[c.title, c.heading].filter(Boolean).join(' — ')}\n${c.text}`)
    .join('\n\n');
}

export class OpenAIAnswerer implements AnswerProvider {
  readonly name = 'openai';
  private readonly client: OpenAI;

  constructor(private readonly opts: OpenAIAnswererOptions) {
    // Temporal retries the activity (and honours Retry-After); SDK retries would stack under it.
    this.client = new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseURL, maxRetries: 0, timeout: opts.timeoutMs ?? 30_000 });
  }

  async answer(input: AnswerInput): Promise<Answer> {
    if (input.chunks.length === 0) return { text: ABSTAIN_TEXT, citations: [], confidence: 0, abstained: true };
    const history = input.history.slice(-(this.opts.historyTurns ?? 6)).map(
      (t): OpenAI.Chat.ChatCompletionMessageParam =>
        t.author === 'customer' ? { role: 'user', content: t.text } : { role: 'assistant', content: t.text },
    );
    let content: string | null | undefined;
    try {
      const res = await this.client.chat.completions.create({
        model: this.opts.model,
        temperature: 0,
        response_format: { type: 'json_object' },
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          ...history,
          { role: 'user', content: `Help-center excerpts:\n\n${excerpts(input.chunks)}\n\nCustomer question: ${input.question}` },
        ],
      });
      content = res.choices[0]?.message.content;
    } catch (err) {
      throw openAIError(err, 'chat completion');
    }
    return this.toAnswer(content, input.chunks);
  }

  /** A reply that is not the JSON we asked for counts as "don't know", never as an answer. */
  toAnswer(content: string | null | undefined, chunks: ScoredChunk[]): Answer {
    let parsed: z.infer<typeof replySchema> | undefined;
    try {
      const result = replySchema.safeParse(JSON.parse(content ?? ''));
      parsed = result.success ? result.data : undefined;
    } catch {
      parsed = undefined;
    }
    const citations = new Map<string, Citation>();
    for (const n of parsed?.citations ?? []) {
      const chunk = chunks[n - 1];
      if (chunk && !citations.has(chunk.url)) citations.set(chunk.url, { title: chunk.title, url: chunk.url });
    }
    const text = parsed?.answer.trim() ?? '';
    const confidence = parsed?.confidence ?? 0;
    if (!text || citations.size === 0 || confidence < this.opts.minConfidence) {
      return { text: ABSTAIN_TEXT, citations: [], confidence, abstained: true };
    }
    return { text, citations: [...citations.values()], confidence, abstained: false };
  }
}
