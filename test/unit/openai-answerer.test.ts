import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OpenAIAnswerer } from '../../integrations/llm/openai.ts';
import type { ScoredChunk } from '../../integrations/types.ts';

const chunk = (n: number, url: string): ScoredChunk => ({ id: `c${n}`, sourceId: 's', url, title: `Page ${n}`, heading: '', text: 'text', pageHash: 'h', score: 0.5 });
const chunks = [chunk(1, 'https://h/a'), chunk(2, 'https://h/b'), chunk(3, 'https://h/a')];
const answerer = new OpenAIAnswerer({ apiKey: 'test', model: 'm', minConfidence: 0.35 });

test("the model's JSON becomes an answer citing the pages behind the chunk numbers", () => {
  const answer = answerer.toAnswer(JSON.stringify({ answer: 'Within 60 days.', citations: [3, 1, 9], confidence: 0.9 }), chunks);
  assert.deepEqual(answer, { text: 'Within 60 days.', citations: [{ title: 'Page 3', url: 'https://h/a' }], confidence: 0.9, abstained: false });
});

test('low confidence, no citations or a malformed reply abstain', () => {
  for (const content of [
    JSON.stringify({ answer: 'Maybe.', citations: [1], confidence: 0.1 }),
    JSON.stringify({ answer: 'I do not know.', citations: [], confidence: 0.9 }),
    'not json',
    null,
  ]) {
    const answer = answerer.toAnswer(content, chunks);
    assert.equal(answer.abstained, true, String(content));
    assert.deepEqual(answer.citations, []);
  }
});
