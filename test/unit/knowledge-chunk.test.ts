import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunkId, chunkPage, embeddingText, windows } from '../../integrations/knowledge/chunk.ts';

/** n numbered sentences of `size` words each: "S1w1 S1w2 … S1wN." */
function sentences(n: number, size: number): string {
  return Array.from({ length: n }, (_, i) => `${Array.from({ length: size }, (_, j) => `S${i + 1}w${j + 1}`).join(' ')}.`).join(' ');
}
const words = (s: string) => s.split(/\s+/).filter(Boolean);

test('long text becomes windows of whole sentences that overlap by about 30 words', () => {
  const parts = windows(sentences(30, 15), { maxWords: 180, overlapWords: 30 });
  assert.ok(parts.length >= 3);
  for (const part of parts) {
    assert.ok(words(part).length <= 180, 'no window passes the cap');
    assert.match(part, /^S\d+w1 /, 'windows start on a sentence');
    assert.match(part, /\.$/, 'windows end on a sentence');
  }
  for (let i = 1; i < parts.length; i++) {
    const prev = new Set(words(parts[i - 1]!));
    const shared = words(parts[i]!).filter((w) => prev.has(w)).length;
    assert.ok(shared >= 15 && shared <= 30, `window ${i} repeats ${shared} words of the one before`);
  }
  const all = new Set(parts.flatMap(words));
  assert.ok(all.has('S1w1') && all.has('S30w15.'), 'nothing is lost');
});

test('text without sentence ends is cut under the cap and still overlaps', () => {
  const parts = windows(sentences(1, 400), { maxWords: 180, overlapWords: 30 });
  assert.ok(parts.length >= 3);
  assert.ok(parts.every((p) => words(p).length <= 180));
  assert.ok(words(parts[1]!).includes(words(parts[0]!).at(-1)!), 'the second window repeats the end of the first');
  assert.equal(new Set(parts.flatMap(words)).size, 400);
});

test('every chunk carries its page title and section heading, and ids are stable', () => {
  const page = {
    url: 'https://help.example/returns',
    sourceId: 'src',
    pageHash: 'h',
    title: 'Returns',
    sections: [
      { heading: '', text: 'You can return unused items within 60 days.' },
      { heading: 'Refund timing', text: sentences(20, 15) },
    ],
  };
  const chunks = chunkPage(page);
  assert.ok(chunks.length >= 3);
  assert.equal(chunks[0]!.heading, '');
  assert.ok(chunks.slice(1).every((c) => c.heading === 'Refund timing' && c.title === 'Returns'));
  assert.ok(chunks.every((c) => c.url === page.url && c.sourceId === 'src' && c.pageHash === 'h'));
  assert.match(embeddingText(chunks[1]!), /^Returns\nRefund timing\nS\d+w1 /);
  assert.equal(embeddingText(chunks[0]!).split('\n')[0], 'Returns');

  assert.deepEqual(chunkPage(page).map((c) => c.id), chunks.map((c) => c.id));
  assert.equal(chunks[2]!.id, chunkId(page.url, 2));
  assert.equal(new Set(chunks.map((c) => c.id)).size, chunks.length);
  assert.notEqual(chunkId('https://help.example/a', 0), chunkId('https://help.example/b', 0));
});
