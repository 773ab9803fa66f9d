// One tokenizer for everything that compares words (the local embedder and the extractive answerer),
// so a question and a page are always reduced to the same terms.

const STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are aren as at be because been before being below ' +
    'between both but by can cannot could couldn did didn do does doesn doing don down during each either else ever ' +
    'every few for from further had hadn has hasn have haven having he her here hers herself him himself his how i if ' +
    'in into is isn it its itself just let like ll may me might more most much must mustn my myself no nor not now of ' +
    'off on once only or other ought our ours ourselves out over own re same shall shan she should shouldn so some such ' +
    'than that the their theirs them themselves then there these they this those through to too under until up upon us ' +
    've very was wasn we were weren what whats when where whether which while who whom whose why will with within ' +
    'without won would wouldn yet you your yours yourself yourselves hi hello hey please thanks thank ok okay ' +
    'get got gets something anything thing things one many lot ' +
    // Fillers that qualify a question without naming anything a page could say ("already", "somewhere else").
    'already still really actually maybe perhaps anyway somewhere someone somebody else even quite probably'
  ).split(/\s+/),
);

/** Lower-cased words, contractions folded onto their first part ("what's" → "what", "isn't" → "isn"). */
export function words(text: string): string[] {
  const out: string[] = [];
  const lower = text.toLowerCase().replace(/[\u2018\u2019\u02bc]/g, "'");
  for (const m of lower.matchAll(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu)) {
    const w = m[0];
    const apostrophe = w.indexOf("'");
    out.push(apostrophe > 0 ? w.slice(0, apostrophe) : w);
  }
  return out;
}

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

const VOWEL = /[aeiouy]/;

// Common irregular forms that suffix rules cannot reach; a help center says "held", a customer asks "hold".
const IRREGULAR: Record<string, string> = {
  paid: 'pay', held: 'hold', sent: 'send', spent: 'spend', bought: 'buy', sold: 'sell', kept: 'keep',
  made: 'make', took: 'take', taken: 'take', gave: 'give', given: 'give', brought: 'bring', lost: 'lose', found: 'find',
  told: 'tell', thought: 'think', began: 'begin', begun: 'begin', chose: 'choose', chosen: 'choose', wore: 'wear',
  worn: 'wear', tore: 'tear', torn: 'tear', broke: 'break', broken: 'break', children: 'child',
  people: 'person', men: 'man', women: 'woman', feet: 'foot', teeth: 'tooth', mice: 'mouse',
};

/**
 * A deliberately light stemmer: it only has to map a word and its inflections onto one key,
 * not produce a real root. Rules apply to every word the same way, so a word that a rule
 * over-cuts ("free" → "fre") still meets its own inflections under the same key.
 */
export function stem(word: string): string {
  const irregular = IRREGULAR[word];
  if (irregular !== undefined) return stem(irregular);
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (/(?:ss|x|z|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);

  if (w.endsWith('ing') && w.length > 5 && VOWEL.test(w.slice(0, -3))) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4 && VOWEL.test(w.slice(0, -2))) w = w.slice(0, -2);
  else if (w.endsWith('ery') && w.length > 5) w = w.slice(0, -1);

  // Fold the spelling changes inflection makes: "shipp(ing)" → "ship", "plac(ed)"/"place" → "plac".
  if (/([b-df-hj-np-tv-z])\1$/.test(w) && w.length > 3) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

// Multi-word paraphrases customers use for a single word help centers write ("send it back" → "return").
// Rewritten the same way in questions and pages, before stopwords go, so the embedder and the answerer see one word.
// Matched on stems; up to two words may sit between a verb and its particle ("send the bike back").
interface Phrase {
  first: string[];
  last: string;
  between: number;
  becomes: string;
  /** The phrase does not count when this word follows it ("run out of stock" is not "expire"). */
  notBefore?: string;
}

const PHRASES: Phrase[] = [
  { first: ['send', 'bring', 'take', 'give', 'ship', 'mail'], last: 'back', between: 2, becomes: 'return' },
  { first: ['money'], last: 'back', between: 0, becomes: 'refund' },
  { first: ['run'], last: 'out', between: 0, becomes: 'expire', notBefore: 'of' },
  { first: ['get'], last: 'touch', between: 1, becomes: 'contact' },
  { first: ['show', 'turn'], last: 'up', between: 0, becomes: 'arrive' },
  { first: ['try'], last: 'out', between: 2, becomes: 'test' },
  // "Are you open on Sunday?" asks for opening hours, and "Stores are open 9 to 7" gives them.
  { first: ['are', 'is', 'be'], last: 'open', between: 2, becomes: 'hours' },
];

let phraseStems: { first: Set<string>; last: string; between: number; becomes: string; notBefore?: string }[] | undefined;

/** Words with the paraphrases of PHRASES replaced by the word they stand for. */
export function rewritePhrases(input: string[]): string[] {
  phraseStems ??= PHRASES.map((p) => ({ ...p, first: new Set(p.first.map(stem)) }));
  const out = [...input];
  for (let i = 0; i < out.length; i++) {
    const s = stem(out[i]!);
    for (const p of phraseStems) {
      if (!p.first.has(s)) continue;
      const end = Math.min(out.length - 1, i + 1 + p.between);
      let j = i + 1;
      while (j <= end && out[j] !== p.last) j++;
      if (j > end || (p.notBefore !== undefined && out[j + 1] === p.notBefore)) continue;
      out.splice(j, 1);
      out[i] = p.becomes;
      break;
    }
  }
  return out;
}

/** Content terms of a text: words without stopwords, stemmed, in order (duplicates kept). */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of rewritePhrases(words(text))) if (!STOPWORDS.has(w)) out.push(stem(w));
  return out;
}

/**
 * Terms plus each pair of neighbouring words written as one ("pick up" → "pickup", "e mail" → "email"),
 * so a question that writes a compound closed still meets a page that writes it open.
 */
export function termSet(text: string): Set<string> {
  const all = rewritePhrases(words(text));
  const out = new Set<string>();
  all.forEach((w, i) => {
    if (!STOPWORDS.has(w)) out.add(stem(w));
    const prev = all[i - 1];
    if (prev !== undefined && !/\d/.test(prev + w)) out.add(stem(prev + w));
  });
  return out;
}
