import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { LocalHashEmbedder } from '../../integrations/embeddings/local.ts';
import { chunkPage, embeddingText } from '../../integrations/knowledge/chunk.ts';
import { extractHtml } from '../../integrations/knowledge/extract.ts';
import { ExtractiveAnswerer } from '../../integrations/llm/offline.ts';
import type { KnowledgeChunk, ScoredChunk } from '../../integrations/types.ts';

const site = new URL('../../../shared/fixtures/demo-site/help/', import.meta.url);
const embedder = new LocalHashEmbedder();
const answerer = new ExtractiveAnswerer({ minConfidence: 0.35 });

/** The fixture help center, chunked and embedded in memory: a plain cosine search stands in for Chroma. */
const chunks: KnowledgeChunk[] = readdirSync(site).flatMap((file) => {
  const page = extractHtml(readFileSync(new URL(file, site), 'utf8'));
  return chunkPage({ ...page, url: `https://help.example/help/${file}`, sourceId: 's', pageHash: 'h' });
});
const vectors = await embedder.embed(chunks.map(embeddingText));

async function retrieve(question: string, k = 5): Promise<ScoredChunk[]> {
  const [q] = await embedder.embed([question]);
  return chunks
    .map((c, i) => ({ ...c, score: Math.max(0, vectors[i]!.reduce((s, v, j) => s + v * q![j]!, 0)) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

async function ask(question: string) {
  return answerer.answer({ question, chunks: await retrieve(question), history: [] });
}

test('picks the sentence that holds the answer and cites its page', async () => {
  const answer = await ask('How long until I get my refund?');
  assert.equal(answer.abstained, false);
  assert.match(answer.text, /Refunds are issued within 3 business days/);
  assert.equal(answer.citations[0]!.url, 'https://help.example/help/returns.html');
  assert.equal(answer.citations[0]!.title, 'Returns and exchanges');
  assert.ok(answer.confidence >= 0.35 && answer.confidence <= 1);
  assert.ok(answer.text.split(/(?<=\.)\s/).length <= 3);
});

test('keeps a sentence together with the one it refers back to', async () => {
  const answer = await ask('How much extra does it cost to ship a kayak?');
  assert.match(answer.text, /Kayaks, paddleboards and roof boxes are oversized\. They ship by freight .* \$49 surcharge/);
});

test('abstains on a question the help center does not answer, and offers a person', async () => {
  for (const question of ['What is the meaning of life?', 'Who won the world cup?']) {
    const answer = await ask(question);
    assert.equal(answer.abstained, true, question);
    assert.deepEqual(answer.citations, []);
    assert.match(answer.text, /help center/);
    assert.match(answer.text, /person/);
    assert.ok(answer.confidence < 0.35);
  }
});

test('abstains with nothing retrieved, and the threshold decides', async () => {
  assert.equal((await answerer.answer({ question: 'Do gift cards expire?', chunks: [], history: [] })).abstained, true);
  const chunks = await retrieve('Do gift cards expire?');
  const strict = new ExtractiveAnswerer({ minConfidence: 1.01 });
  assert.equal((await strict.answer({ question: 'Do gift cards expire?', chunks, history: [] })).abstained, true);
  assert.match((await answerer.answer({ question: 'Do gift cards expire?', chunks, history: [] })).text, /never expire/);
});
