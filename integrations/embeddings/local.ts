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
    stems.forEach((s, i) => {
      add(`w:${s}`, UNIGRAM);
      if (i > 0) add(`b:${stems[i - 1]} ${s}`, BIGRAM);
      const group = synonymGroup(s);
      if (group !== undefined) add(`g:${group}`, SYNONYM);
    });
    for (const w of content) {
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
