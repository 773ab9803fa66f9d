// An embedder that needs no model download: hashed word and character n-grams.
// It finds pages that share words (and word pieces) with the question, plus a small list of support-vocabulary
// synonyms ("take" ~ "accept") and paraphrases ("send it back" → "return").
import { synonymGroup } from '../knowledge/synonyms.ts';
import { isStopword, rewritePhrases, stem, words } from '../knowledge/tokenize.ts';
import type { Embedder } from '../types.ts';
import { fnv1a } from './fnv.ts';

export interface LocalHashEmbedderOptions {
  dimensions?: number;
}

// Relative weight of each feature family. Whole words carry the meaning; bigrams reward phrases
// ("gift card"); character trigrams catch inflections and compounds the stemmer misses.
const UNIGRAM = 1;
const BIGRAM = 0.5;
const TRIGRAMS_PER_WORD = 0.4;
// Bare numbers ("00" of "10:00 am", "97209") say little about what a passage is about, and a page of hours or
// prices is full of them: counted at full weight they would drown its few topical words.
const NUMBER = 0.25;
// A capitalised word inside a sentence is usually a name (PayPal, Sunday, Boise): specific, and so worth more
// than the everyday words around it. The embedder has no corpus to learn rarity from; capitals are its hint.
const NAME = 2;
// Time words fill every help center ("business days", "opening hours", "24 hours a day"): they say what kind
// of answer is wanted, hardly which page has it, so they count for less than topical words.
const GENERIC = 0.4;
const GENERIC_WORDS = new Set(['minute', 'hour', 'day', 'week', 'month', 'year', 'time', 'open'].map(stem));
// A word of a synonym group also lights up the group, so "take" meets "accept" at part strength.
const SYNONYM = 0.6;

export class LocalHashEmbedder implements Embedder {
  readonly name = 'local-hash-v2';
  readonly dimensions: number;

  constructor(opts: LocalHashEmbedderOptions = {}) {
    this.dimensions = opts.dimensions ?? 1024;
  }

  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.vector(t));
  }

  /** Feature → weight before hashing; exported through vector() only, kept separate to read and test. */
  features(text: string): Map<string, number> {
    const counts = new Map<string, number>();
    const add = (key: string, w: number) => counts.set(key, (counts.get(key) ?? 0) + w);
    const content = rewritePhrases(words(text)).filter((w) => !isStopword(w));
    const stems = content.map(stem);
    const numeric = (w: string) => /^\d+$/.test(w);
    const names = namesIn(text);
    stems.forEach((s, i) => {
      const generic = GENERIC_WORDS.has(s) ? GENERIC : 1;
      add(`w:${s}`, numeric(s) ? NUMBER : names.has(content[i]!) ? NAME : generic * UNIGRAM);
      if (i > 0) add(`b:${stems[i - 1]} ${s}`, numeric(s) || numeric(stems[i - 1]!) ? BIGRAM * NUMBER : BIGRAM);
      const group = synonymGroup(s);
      if (group !== undefined) add(`g:${group}`, generic * SYNONYM);
    });
    for (const w of content) {
      if (numeric(w)) continue;
      const padded = `<${w}>`;
      const n = padded.length - 2;
      for (let i = 0; i < n; i++) add(`c:${padded.slice(i, i + 3)}`, TRIGRAMS_PER_WORD / n);
    }
    return counts;
  }

  vector(text: string): number[] {
    const vec = new Array<number>(this.dimensions).fill(0);
    for (const [key, raw] of this.features(text)) {
      const h = fnv1a(key);
      // Dampen repetition so one word said five times does not drown the rest.
      const weight = Math.log1p(raw);
      // Sign from a bit the index does not use, so colliding features cancel rather than pile up.
      vec[h % this.dimensions]! += (h & 0x80000000 ? -1 : 1) * weight;
    }
    const norm = Math.hypot(...vec);
    if (norm === 0) {
      // Cosine is undefined for a zero vector; a fixed unit vector keeps the store from rejecting it.
      vec[0] = 1;
      return vec;
    }
    return vec.map((v) => v / norm);
  }
}

/** Lower-cased words written with a capital somewhere other than the start of a sentence or line ("I" aside). */
export function namesIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/(^|[.!?:;]\s+|\n\s*(?:[*\-•]\s+)?|\s+|[("'\u201c])(\p{Lu}[\p{L}\p{N}]*)/gu)) {
    const before = m[1] ?? '';
    const start = m.index === 0 || /[.!?:;\n]/.test(before);
    const word = m[2]!;
    if (start || word === 'I') continue;
    out.add(word.toLowerCase());
  }
  return out;
}
