import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHUNKER_VERSION, chunkPage } from '../../integrations/knowledge/chunk.ts';
import { extractHtml } from '../../integrations/knowledge/extract.ts';
import { joinSentences, sentenceUnits, splitSentences } from '../../integrations/knowledge/sentences.ts';

test('list items keep their marker through sentence splitting, on their first sentence only', () => {
  const units = sentenceUnits('Statuses are:\n* Received\n- Canada: $24.95 flat. Duties are collected at checkout.\n2. Drop the parcel off\nAfter the list.');
  assert.deepEqual(
    units.map((u) => [u.text, u.marker]),
    [
      ['Statuses are:', undefined],
      ['Received', '-'],
      ['Canada: $24.95 flat.', '-'],
      ['Duties are collected at checkout.', undefined],
      ['Drop the parcel off', '2.'],
      ['After the list.', undefined],
    ],
  );
  // Rejoined, the text reads as the list it was, and splits back into the same units.
  const joined = joinSentences(units);
  assert.equal(joined, 'Statuses are:\n- Received\n- Canada: $24.95 flat. Duties are collected at checkout.\n2. Drop the parcel off\nAfter the list.');
  assert.deepEqual(sentenceUnits(joined), units);
  assert.deepEqual(splitSentences(joined), units.map((u) => u.text));
});

test('chunks of an HTML page mark its list items, so an answer can tell them from paragraphs', () => {
  const page = extractHtml(
    '<title>Returns</title><main><h1>Returns</h1><h2>What cannot be returned</h2><ul><li>Gift cards.</li><li>Chain lube, sealant and other opened consumables.</li></ul><p>Everything else can.</p></main>',
  );
  const [chunk] = chunkPage({ ...page, url: 'https://help.example/returns', sourceId: 's', pageHash: 'h' });
  assert.equal(chunk!.heading, 'What cannot be returned');
  assert.equal(chunk!.text, '- Gift cards.\n- Chain lube, sealant and other opened consumables.\nEverything else can.');
  assert.equal(CHUNKER_VERSION, 'chunk-v2');
});
