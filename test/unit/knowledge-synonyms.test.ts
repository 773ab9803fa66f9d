import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalHashEmbedder, namesIn } from '../../integrations/embeddings/local.ts';
import { synonymGroup, synonymList } from '../../integrations/knowledge/synonyms.ts';
import { rewritePhrases, stem, terms, words } from '../../integrations/knowledge/tokenize.ts';

const cosine = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);

test('paraphrases become the word a help center writes, in questions and pages alike', () => {
  assert.deepEqual(terms('Can I send the bike back?'), ['return', 'bik']);
  assert.deepEqual(terms('Can I bring back a helmet?'), ['return', 'helmet']);
  assert.deepEqual(terms('When do I get my money back?'), ['refund']);
  assert.ok(terms('Do your gift cards run out?').includes(stem('expire')));
  assert.ok(terms('My box showed up damaged').includes(stem('arrive')));
  assert.ok(terms('Can I try a bike out first?').includes(stem('test')));
  assert.ok(terms('Are you open on Sunday?').includes(stem('hours')));
  // Not every "run out" is an expiry.
  assert.deepEqual(rewritePhrases(words('we ran out of stock')), ['we', 'ran', 'out', 'of', 'stock']);
  assert.deepEqual(rewritePhrases(words('if items run out of stock')), ['if', 'items', 'run', 'out', 'of', 'stock']);
  // A "back" too far from its verb is not a return.
  assert.ok(!terms('Send us photos of the damaged frame and the back wheel').includes('return'));
});

test('synonym groups are matched on stems, symmetric, and never overlap', () => {
  assert.equal(synonymGroup(stem('take')), synonymGroup(stem('accept')));
  assert.equal(synonymGroup(stem('accepted')), synonymGroup(stem('takes')));
  assert.equal(synonymGroup(stem('delivery')), synonymGroup(stem('shipping')));
  assert.equal(synonymGroup(stem('fees')), synonymGroup(stem('price')));
  assert.equal(synonymGroup(stem('shop')), synonymGroup(stem('stores')));
  assert.notEqual(synonymGroup(stem('take')), synonymGroup(stem('ship')));
  assert.equal(synonymGroup(stem('kayak')), undefined);
  const owner = new Map<string, number>();
  synonymList().forEach((group, i) => {
    for (const word of group) {
      const s = stem(word);
      assert.ok(owner.get(s) === undefined || owner.get(s) === i, `"${word}" (${s}) is in two groups`);
      owner.set(s, i);
    }
  });
});

test('the embedder meets a synonym: "take PayPal" is closer to "accept PayPal" than to "take 3 days"', async () => {
  const embedder = new LocalHashEmbedder();
  const [q, accept, take] = await embedder.embed([
    'Do you take PayPal?',
    'We accept Visa, Mastercard, American Express, Discover and PayPal.',
    'Most repairs take 3 to 5 business days.',
  ]);
  assert.ok(cosine(q!, accept!) > cosine(q!, take!));
  const [ship, delivery, unrelated] = await embedder.embed(['Is delivery free?', 'Standard shipping is free on orders over $75.', 'Gift cards never expire.']);
  assert.ok(cosine(ship!, delivery!) > cosine(ship!, unrelated!));
});

test('hours and prices do not drown the words that say what a passage is about', async () => {
  const embedder = new LocalHashEmbedder();
  const [q, hours, other] = await embedder.embed([
    'Are you open on Sunday?',
    'Harbor Street store\n- Monday to Friday: 10:00 am – 7:00 pm\n- Saturday: 9:00 am – 6:00 pm\n- Sunday: 11:00 am – 5:00 pm',
    'Chat is open 24 hours a day, 7 days a week.',
  ]);
  assert.ok(cosine(q!, hours!) > cosine(q!, other!));
});

test('names, which count extra, are capitalised words inside a sentence, not at its start', () => {
  assert.deepEqual([...namesIn('Do you take PayPal?')], ['paypal']);
  assert.deepEqual([...namesIn('We accept Visa. Cash is fine.\n- Sunday: closed')], ['visa']);
  assert.deepEqual([...namesIn('Can I come in on Sunday?')], ['sunday']);
});
