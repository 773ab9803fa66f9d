import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalHashEmbedder } from '../../integrations/embeddings/local.ts';
import { stem, terms } from '../../integrations/knowledge/tokenize.ts';

const cosine = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);

test('the same text always embeds to the same unit vector, in a fresh embedder too', async () => {
  const text = 'Refunds are issued within 3 business days after the parcel reaches our warehouse.';
  const [a] = await new LocalHashEmbedder().embed([text]);
  const [b] = await new LocalHashEmbedder().embed([text]);
  assert.equal(a!.length, 1024);
  assert.deepEqual(a, b);
  assert.ok(Math.abs(Math.hypot(...a!) - 1) < 1e-9);
});

test('a question is closest to the passage that answers it', async () => {
  const embedder = new LocalHashEmbedder();
  const passages = [
    'Gift cards never expire and have no fees.',
    'Standard shipping takes 3 to 5 business days; orders ship from our warehouse in Reno.',
    'You can return unused items within 60 days of delivery for a full refund.',
    'Clean the tent fly with lukewarm water and a non-detergent soap.',
  ];
  const vectors = await embedder.embed(passages);
  const expectations: [string, number][] = [
    ['Do gift cards expire?', 0],
    ['How long does shipping take?', 1],
    ['How many days do I have to return an item?', 2],
    ['How do I clean my tent?', 3],
  ];
  for (const [question, expected] of expectations) {
    const [q] = await embedder.embed([question]);
    const ranked = vectors.map((v, i) => ({ i, s: cosine(q!, v) })).sort((x, y) => y.s - x.s);
    assert.equal(ranked[0]!.i, expected, `${question} → ${passages[ranked[0]!.i]}`);
  }
});

test('inflections meet: shipped/shipping, returns/returned score above unrelated text', async () => {
  const embedder = new LocalHashEmbedder();
  const [q, near, far] = await embedder.embed(['When was my order shipped?', 'Orders ship the same day', 'Gift cards never expire']);
  assert.ok(cosine(q!, near!) > cosine(q!, far!));
  assert.equal(stem('shipped'), stem('shipping'));
  assert.equal(stem('returns'), stem('returned'));
  assert.equal(stem('held'), stem('hold'));
  assert.deepEqual(terms('What is the price of the tents?'), ['pric', 'tent']);
});

test('text with no content words still gives a usable unit vector', async () => {
  const [v] = await new LocalHashEmbedder().embed(['']);
  assert.ok(Math.abs(Math.hypot(...v!) - 1) < 1e-9);
});
