// The offline answerer on the shipped demo help center (Cobalt Cycles), and on small hand-made chunks.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { LocalHashEmbedder } from '../../integrations/embeddings/local.ts';
import { chunkPage, embeddingText } from '../../integrations/knowledge/chunk.ts';
import { extractHtml } from '../../integrations/knowledge/extract.ts';
import { ExtractiveAnswerer } from '../../integrations/llm/offline.ts';
import { questionFocus } from '../../integrations/llm/questionFocus.ts';
import type { KnowledgeChunk, ScoredChunk } from '../../integrations/types.ts';

const site = new URL('../../demo-content/', import.meta.url);
const embedder = new LocalHashEmbedder();
const answerer = new ExtractiveAnswerer({ minConfidence: 0.35 });

const chunks: KnowledgeChunk[] = readdirSync(site)
  .filter((file) => file.endsWith('.html'))
  .flatMap((file) => {
    const page = extractHtml(readFileSync(new URL(file, site), 'utf8'));
    return chunkPage({ ...page, url: `https://cobalt.example/help/${file}`, sourceId: 's', pageHash: 'h' });
  });
const vectors = await embedder.embed(chunks.map(embeddingText));

async function ask(question: string) {
  const [q] = await embedder.embed([question]);
  const retrieved = chunks
    .map((c, i) => ({ ...c, score: Math.max(0, vectors[i]!.reduce((s, v, j) => s + v * q![j]!, 0)) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, 5);
  return answerer.answer({ question, chunks: retrieved, history: [] });
}

const page = (url: string) => url.split('/').pop();

test('a synonym and a rare exact term: "Do you take PayPal?" is answered from the payment page', async () => {
  const answer = await ask('Do you take PayPal?');
  assert.equal(answer.abstained, false);
  assert.match(answer.text, /We accept Visa, .*PayPal/);
  assert.deepEqual(answer.citations.map((c) => page(c.url)), ['payment.html']);
});

test('"Are you open on Sunday?" gives both stores\' Sunday hours under their names, from the store page only', async () => {
  const answer = await ask('Are you open on Sunday?');
  assert.equal(answer.abstained, false);
  assert.deepEqual(answer.citations.map((c) => page(c.url)), ['stores.html']);
  assert.match(answer.text, /Harbor Street flagship store:\n- Sunday: 11:00 am – 5:00 pm/);
  assert.match(answer.text, /Eastside Workshop:\n- Sunday and Monday: closed/);
  assert.doesNotMatch(answer.text, /Chain lube|Orders placed on Saturday/);
});

test('a list item is never given without its lead-in', async () => {
  const answer = await ask('Can I bring back a helmet I already used?');
  assert.equal(answer.abstained, false);
  assert.equal(answer.text, 'What cannot be returned:\n- Helmets that have been worn, for safety reasons.');

  const price = await ask('How much is a basic tune-up?');
  assert.match(price.text, /^Service menu and prices:\n- Basic tune-up: \$79/);
});

test('answers on the demo help center stay short: at most three sentences or list items', async () => {
  const questions = JSON.parse(readFileSync(new URL('questions.json', site), 'utf8')) as { question: string }[];
  assert.ok(questions.length >= 20);
  for (const { question } of questions) {
    const answer = await ask(question);
    const lines = answer.text.split('\n');
    const items = lines.filter((l) => l.startsWith('- ')).length;
    const prose = lines.filter((l) => !l.startsWith('- ') && !l.endsWith(':')).join(' ');
    const sentences = prose ? prose.split(/(?<=[.!?])\s+(?=[A-Z])/).length : 0;
    assert.ok(items + sentences <= 4, `${question} → ${answer.text}`);
  }
});

test('off-topic questions and requests for a person abstain on the demo help center too', async () => {
  for (const question of ['What is the meaning of life?', 'Who won the world cup?', 'I want to talk to a human', 'Can I speak to a real person please?']) {
    const answer = await ask(question);
    assert.equal(answer.abstained, true, `${question} → ${answer.text}`);
  }
});

// ----- hand-made chunks: each behaviour on its own -----

function chunk(url: string, heading: string, text: string, score: number, title = 'Help'): ScoredChunk {
  return { id: `${url}#${heading}`, sourceId: 's', url, title, heading, text, pageHash: 'h', score };
}

test('the rarest question word decides between sentences that share a common one', async () => {
  const answer = await answerer.answer({
    question: 'Do you take PayPal?',
    chunks: [
      chunk('https://x.example/service', 'Turnaround', 'Most repairs take 3 to 5 business days. Tune-ups take a day.', 0.4),
      chunk('https://x.example/payment', 'Payment methods', 'We accept Visa, Mastercard and PayPal. We do not accept cheques.', 0.2),
    ],
    history: [],
  });
  assert.equal(answer.abstained, false);
  assert.match(answer.text, /^We accept Visa, Mastercard and PayPal\./);
  assert.deepEqual(answer.citations.map((c) => c.url), ['https://x.example/payment']);
});

test('a list is introduced by the sentence that opens it when there is one, else by its heading', async () => {
  const withSentence = await answerer.answer({
    question: 'Can I return gift cards?',
    chunks: [chunk('https://x.example/returns', 'Exclusions', 'Most things can be sent back. These items cannot be returned:\n- Gift cards.\n- Opened consumables.', 0.5)],
    history: [],
  });
  assert.match(withSentence.text, /These items cannot be returned:\n- Gift cards\./);
  const withHeading = await answerer.answer({
    question: 'Can I return opened consumables?',
    chunks: [chunk('https://x.example/returns', 'What cannot be returned', '- Custom bikes.\n- Gift cards.\n- Chain lube, sealant and other opened consumables.', 0.5)],
    history: [],
  });
  assert.equal(withHeading.text, 'What cannot be returned:\n- Chain lube, sealant and other opened consumables.');
});

test('sentences from another page join only when they answer another part of the question', async () => {
  const chunks = [
    chunk('https://x.example/shipping', 'Where we ship', 'We ship to Canada and the United States. Orders ship from Portland.', 0.5),
    chunk('https://x.example/orders', 'Dispatch', 'Orders to Canada ship within 2 days.', 0.45),
    chunk('https://x.example/taxes', 'Duties', 'Import duties are collected at checkout, so nothing is due on arrival.', 0.4),
  ];
  const single = await answerer.answer({ question: 'Do you ship to Canada?', chunks, history: [] });
  assert.deepEqual(single.citations.map((c) => c.url), ['https://x.example/shipping']);
  const twoParts = await answerer.answer({ question: 'Do you ship to Canada, and are import duties collected?', chunks, history: [] });
  assert.deepEqual(twoParts.citations.map((c) => c.url).sort(), ['https://x.example/shipping', 'https://x.example/taxes']);
  assert.doesNotMatch(twoParts.text, /within 2 days/);
});

test('two half-matches from two pages are no answer, nor is one shared word', async () => {
  const stitched = await answerer.answer({
    question: 'I want to talk to a human',
    chunks: [
      chunk('https://x.example/privacy', '', 'We keep what you tell us when you talk to our team.', 0.1),
      chunk('https://x.example/notes', '', 'Some messages must reach a human.', 0.1),
    ],
    history: [],
  });
  assert.equal(stitched.abstained, true);
  const coincidence = await answerer.answer({
    question: 'What is the meaning of life?',
    chunks: [chunk('https://x.example/warranty', 'Frames', 'Every frame is covered for life against defects.', 0.15)],
    history: [],
  });
  assert.equal(coincidence.abstained, true);
});

test('"Are you open…?" asks for opening hours, and "Is … free?" for a price', () => {
  const open = questionFocus('Are you open on Sunday?');
  assert.deepEqual(open.focus, ['clock']);
  assert.ok(open.cueWords.has('open'));
  assert.ok(open.satisfiedBy('Sunday: 11:00 am – 5:00 pm'));
  assert.ok(open.satisfiedBy('Sunday and Monday: closed'));
  assert.ok(!open.satisfiedBy('Orders placed on Sunday are dispatched the next business day.'));
  const free = questionFocus('Is shipping free?');
  assert.deepEqual(free.focus, ['money']);
  assert.ok(free.satisfiedBy('Standard shipping: $6.95, and free on orders of $75 or more.'));
  assert.ok(questionFocus('How long does a repair take?').cueWords.has('take'));
});
