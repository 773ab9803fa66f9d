import { z } from 'zod';
import type { Answer, AnswerInput, AnswerProvider } from '../integrations/types.ts';
import { mapFailures } from './errors.ts';

const scoredChunk = z.object({
  id: z.string(),
  sourceId: z.string(),
  url: z.string(),
  title: z.string(),
  heading: z.string(),
  text: z.string(),
  pageHash: z.string(),
  score: z.number(),
});

const answerInput = z.object({
  question: z.string(),
  chunks: z.array(scoredChunk),
  history: z.array(z.object({ author: z.enum(['customer', 'bot', 'agent', 'system']), text: z.string() })).default([]),
});

export function createAnswerActivities(deps: { answerer: AnswerProvider }) {
  return {
    /** A grounded answer with citations, or an abstention that offers a person. */
    answer: mapFailures(async (input: AnswerInput): Promise<Answer> => deps.answerer.answer(answerInput.parse(input))),
  };
}
