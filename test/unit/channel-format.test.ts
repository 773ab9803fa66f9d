import assert from 'node:assert/strict';
import { test } from 'node:test';
import { uniqueCitations } from '../../integrations/channels/format/citations.ts';
import { parseMarkdown } from '../../integrations/channels/format/markdown.ts';
import { formatPlain } from '../../integrations/channels/format/plain.ts';
import { formatSlackText } from '../../integrations/channels/format/slack.ts';
import { formatSms, smsSegments } from '../../integrations/channels/format/sms.ts';
import { formatWhatsAppText } from '../../integrations/channels/format/whatsapp.ts';

// A small deterministic generator of markdown answers: words, marks, links, lists, headings.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
const WORDS = ['account', 'billing', 'refund', 'password', 'settings', 'invoice', 'order', 'shipping', 'team', 'export', 'délai', 'über'];
function answer(seed: number): { text: string; urls: string[]; words: Set<string> } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const urls: string[] = [];
  const sentence = () => {
    const parts: string[] = [];
    for (let i = 0, n = 4 + Math.floor(r() * 10); i < n; i++) {
      const w = pick(WORDS);
      const roll = r();
      if (roll < 0.1) parts.push(`**${w} ${pick(WORDS)}**`);
      else if (roll < 0.18) parts.push(`_${w}_`);
      else if (roll < 0.22) parts.push(`~~${w}~~`);
      else if (roll < 0.27) parts.push(`\`${w}\``);
      else if (roll < 0.33) {
        const url = `https://help.example.com/${w}/${Math.floor(r() * 1e6)}?ref=chat&lang=en`;
        urls.push(url);
        parts.push(r() < 0.5 ? `[the ${w} page](${url})` : url);
      } else parts.push(w);
    }
    return parts.join(' ') + pick(['.', '!', '?', ';', ',']);
  };
  const blocks: string[] = [];
  for (let b = 0, n = 3 + Math.floor(r() * 8); b < n; b++) {
    const kind = r();
    if (kind < 0.15) blocks.push(`## ${sentence()}`);
    else if (kind < 0.4) blocks.push(Array.from({ length: 2 + Math.floor(r() * 4) }, () => `- ${sentence()}`).join('\n'));
    else blocks.push(Array.from({ length: 1 + Math.floor(r() * 4) }, sentence).join(' '));
  }
  return { text: blocks.join('\n\n'), urls, words: new Set([...WORDS, 'the', 'page', 'Sources:', 'Guide']) };
}

const citations = [{ title: 'Guide', url: 'https://help.example.com/guide' }];

function assertWholeUrls(out: string, urls: string[], ctx: string) {
  for (const found of out.match(/https?:\/\/[^\s<>|()]+/g) ?? []) {
    const clean = found.replace(/[.,;!?]+$/, '');
    assert.ok(urls.includes(clean) || clean === citations[0]!.url, `${ctx}: URL cut: ${clean}`);
  }
}

function assertWholeWords(out: string, words: Set<string>, ctx: string) {
  const text = out.replace(/<https?:[^>]*>/g, ' ').replace(/https?:\/\/\S+/g, ' ').replace(/&amp;|&lt;|&gt;/g, ' ');
  for (const token of text.split(/[\s*_~`•….,;!?:()\d-]+/).filter(Boolean)) {
    assert.ok(words.has(token) || token === 'Sources', `${ctx}: word cut: "${token}"`);
  }
}

test('cutting to any limit never breaks a word or a URL and never leaves a marker open', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const a = answer(seed);
    for (const limit of [160, 300, 700]) {
      const ctx = `seed ${seed} limit ${limit}`;
      const wa = formatWhatsAppText({ text: a.text, citations }, limit);
      assert.ok(wa.length <= limit, `${ctx}: ${wa.length}`);
      assertWholeUrls(wa, a.urls, ctx);
      assertWholeWords(wa, a.words, ctx);
      for (const [name, re] of [['*', /\*/g], ['_', /_/g], ['~', /~/g], ['```', /```/g]] as const) {
        assert.equal((wa.match(re) ?? []).length % 2, 0, `${ctx}: dangling ${name} in ${JSON.stringify(wa)}`);
      }
      const slack = formatSlackText({ text: a.text, citations }, limit);
      assert.ok(slack.length <= limit);
      assert.equal((slack.match(/</g) ?? []).length, (slack.match(/>/g) ?? []).length, `${ctx}: split <url|title>`);
      assert.equal((slack.match(/`/g) ?? []).length % 2, 0, `${ctx}: dangling backtick`);
      const plain = formatPlain({ text: a.text, citations }, limit);
      assert.ok(plain.length <= limit);
      assert.doesNotMatch(plain, /[*_`~#[\]]/, `${ctx}: markdown in plain text`);
      assertWholeUrls(plain, a.urls, ctx);
      assertWholeWords(plain, a.words, ctx);
    }
    const sms = formatSms({ text: a.text, citations }, { maxSegments: 2 });
    assert.ok(smsSegments(sms).segments <= 2, `seed ${seed}: ${smsSegments(sms).segments} segments`);
    assertWholeUrls(sms, a.urls, `sms seed ${seed}`);
  }
});

test('a cut prefers the end of a sentence when one is near', () => {
  const text = 'First sentence is here and it is fairly long indeed. Second one goes on and on without an end';
  assert.equal(formatPlain({ text, citations: [] }, 62), 'First sentence is here and it is fairly long indeed.');
  const mid = formatPlain({ text: 'one two three four five six seven eight nine ten eleven twelve', citations: [] }, 30);
  assert.equal(mid, 'one two three four five six…');
});

test('markdown is read into blocks with marks and links', () => {
  const blocks = parseMarkdown('# Title\n\nSome **bold _both_** and [a link](https://x.example/a).\n\n1. one\n2. two\n   - nested');
  assert.deepEqual(blocks.map((b) => [b.kind, b.depth, b.ordinal]), [['heading', 0, undefined], ['paragraph', 0, undefined], ['item', 0, 1], ['item', 0, 2], ['item', 1, undefined]]);
  assert.deepEqual(blocks[1]?.runs, [
    { text: 'Some ', marks: [] },
    { text: 'bold ', marks: ['bold'] },
    { text: 'both', marks: ['bold', 'italic'] },
    { text: ' and ', marks: [] },
    { text: 'a link', marks: [], href: 'https://x.example/a' },
    { text: '.', marks: [] },
  ]);
});

test('citations are listed once and not when the answer already links there', () => {
  const cs = [
    { title: 'A', url: 'https://x.example/a' },
    { title: 'A again', url: 'https://x.example/a' },
    { title: 'B', url: 'https://x.example/b' },
    { title: 'B deeper', url: 'https://x.example/b/c' },
  ];
  assert.deepEqual(uniqueCitations(cs, 'See https://x.example/b.').map((c) => c.title), ['A', 'B deeper']);
});
