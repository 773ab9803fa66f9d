// Answers without a language model: picks the retrieved sentences that best cover the question.
// It never writes a word the help center did not, and abstains when the coverage is thin.
import { sentenceUnits } from '../knowledge/sentences.ts';
import { synonymGroup, synonymGroups } from '../knowledge/synonyms.ts';
import { stem, terms, termSet } from '../knowledge/tokenize.ts';
import type { Answer, AnswerInput, AnswerProvider, Citation, ScoredChunk } from '../types.ts';
import { questionFocus, type QuestionFocus } from './questionFocus.ts';

export interface ExtractiveAnswererOptions {
  /** Below this confidence the answerer abstains (env ANSWER_MIN_CONFIDENCE). */
  minConfidence: number;
  maxSentences?: number;
}

export const ABSTAIN_TEXT =
  "I couldn't find the answer to that in our help center. Would you like me to connect you with a person from our team?";

/** Terms of a piece of text, and the synonym groups they fall in. */
interface Bag {
  terms: Set<string>;
  groups: Set<string>;
}

/** What a list item is read under: the sentence that opens the list ("Statuses are:"), or else the section heading. */
interface LeadIn {
  text: string;
  /** Position of the lead-in sentence in its chunk; undefined for a heading or title. */
  position: number | undefined;
}

interface Candidate {
  chunk: number;
  position: number;
  text: string;
  /** Position of the first sentence of the list item this sentence belongs to; undefined outside lists. */
  item: number | undefined;
  leadIn: LeadIn | undefined;
  own: Bag;
  /** Terms the sentence leans on: its predecessor's when it refers back, its lead-in's when it is a list item. */
  context: Bag | undefined;
  /** Question term → how fully this sentence covers it (1 its own word, less through a synonym or its context). */
  matched: Map<string, number>;
  coverage: number;
  score: number;
  leansOnPrevious: boolean;
  holdsValue: boolean;
}

// A sentence that opens by pointing back ("They ship by freight…") is about what the sentence before it named.
const CONTINUATION = /^(?:it|they|this|these|that|those|its|their|there|then|also|otherwise|however)\b/i;

// A short label that opens a line and names what the line is about: "Sunday: 11:00 am – 5:00 pm".
const LABEL = /^([^:.!?]{2,60}?):\s+\S/;

// Score = share of the question's weight a sentence covers, plus these bonuses.
const W_RETRIEVAL = 0.35; // the chunk's similarity to the question
const W_HEADING = 0.25; // the question's words in the page title or section heading
const W_FOCUS = 0.3; // the sentence holds the kind of value asked for (a duration, a price…)
const W_LABEL = 0.15; // the question's words in a line's label ("Basic tune-up: $79"): the line defines what was asked about
// How much of a question word a sentence covers when it says it another way, or only through what it leans on.
const SYNONYM_CREDIT = 0.6;
const ANTECEDENT_CREDIT = 1;
const LEAD_IN_CREDIT = 0.8;
// Confidence is scaled by this when the answer shares a single word with a question of several.
const SINGLE_MATCH = 0.8;
// Companions from the best sentence's own section must come within this share of its score, and sit next to it
// or add something to it…
const COMPANION_SHARE = 0.5;
// A neighbour of the best sentence usually qualifies or completes it ("…free for exchanges. For other returns we deduct…").
const W_NEIGHBOUR = 0.2;
// …and those from elsewhere must bring something the answer lacks: the same answer for a sibling section
// (a second store's Sunday hours), which must nearly match it, or a part of the question it does not cover yet.
// A sibling item of the same list is an alternative rather than a continuation, so it must nearly match it too.
const OTHER_SECTION_SHARE = 0.85;
// A sentence from elsewhere that answers another part of the question has only its part to score with, so it
// needs less of the best sentence's score; the part must carry at least PART_SHARE of the question's weight.
const OTHER_PART_SHARE = 0.6;
const PART_SHARE = 0.15;

export class ExtractiveAnswerer implements AnswerProvider {
  readonly name = 'offline';
  private readonly minConfidence: number;
  private readonly maxSentences: number;

  constructor(opts: ExtractiveAnswererOptions) {
    this.minConfidence = opts.minConfidence;
    this.maxSentences = opts.maxSentences ?? 3;
  }

  async answer(input: AnswerInput): Promise<Answer> {
    const focus = questionFocus(input.question);
    const cues = new Set([...focus.cueWords].map(stem));
    const all = [...new Set(terms(input.question))];
    // "What are your opening hours?" is all cue: then the cue words are what the question is about.
    const question = all.some((t) => !cues.has(t)) ? all.filter((t) => !cues.has(t)) : all;
    const chunks = input.chunks;
    if (question.length === 0 || chunks.length === 0) return abstain(0);

    const chunkBags = chunks.map((c) => bag(termSet(`${c.title}\n${c.heading}\n${c.text}`)));
    const headingBags = chunks.map((c) => bag(termSet(`${c.title}\n${c.heading}`)));
    // Rarity among what was retrieved: a word every chunk shares does not tell them apart, while a rare exact
    // term ("PayPal") singles out the passage. A question word no chunk contains (nor a synonym of it) gets the
    // highest weight, so it pulls confidence down.
    const weight = new Map<string, number>();
    for (const t of question) {
      const df = chunkBags.filter((b) => credit(t, b) > 0).length;
      weight.set(t, Math.log(1 + (chunks.length + 1) / (df + 0.5)));
    }
    const total = question.reduce((sum, t) => sum + weight.get(t)!, 0);
    const match = (own: Bag, context?: Bag, contextCredit = 1) => {
      const out = new Map<string, number>();
      for (const t of question) {
        const c = Math.max(credit(t, own), context ? contextCredit * credit(t, context) : 0);
        if (c > 0) out.set(t, c);
      }
      return out;
    };
    const share = (m: Map<string, number>) => [...m].reduce((sum, [t, c]) => sum + weight.get(t)! * c, 0) / total;

    const candidates = this.candidates(chunks, match, share, headingBags, focus);
    if (candidates.length === 0) return abstain(0);
    const best = candidates.reduce((a, b) => (b.score > a.score ? b : a));
    const chosen = this.pick(candidates, best, chunks, weight, total, focus.focus.length > 0);

    const union = merge([headingBags[best.chunk]!, ...chosen.flatMap((c) => (c.context ? [c.own, c.context] : [c.own]))]);
    const retrieval = chunks[best.chunk]!.score;
    const answered = match(union);
    // One word in common with a question of several is as likely a coincidence ("the meaning of life" →
    // "covered for life") as an answer.
    const coincidence = question.length >= 2 && [...answered.values()].filter((c) => c >= 0.5).length <= 1;
    const confidence = clamp01((0.75 * share(answered) + 0.25 * Math.min(1, retrieval / 0.5)) * (coincidence ? SINGLE_MATCH : 1));
    if (confidence < this.minConfidence || best.coverage === 0) return abstain(confidence);

    return {
      text: render(chosen),
      citations: citationsOf(chosen.map((c) => chunks[c.chunk]!)),
      confidence,
      abstained: false,
    };
  }

  private candidates(
    chunks: ScoredChunk[],
    match: (own: Bag, context?: Bag, contextCredit?: number) => Map<string, number>,
    share: (m: Map<string, number>) => number,
    headingBags: Bag[],
    focus: QuestionFocus,
  ): Candidate[] {
    const seen = new Set<string>();
    const out: Candidate[] = [];
    chunks.forEach((chunk, ci) => {
      const heading = share(match(headingBags[ci]!));
      const units = sentenceUnits(chunk.text);
      const bags = units.map((u) => bag(termSet(u.text)));
      const items = listItems(units);
      units.forEach((unit, position) => {
        const text = unit.text;
        const item = items[position];
        const leadIn = item === undefined ? undefined : leadInOf(units, items, item, chunk);
        const leansOnPrevious = item === undefined && position > 0 && CONTINUATION.test(text);
        let context: Bag | undefined;
        let contextCredit = 1;
        if (leadIn) {
          // A list item is read under its lead-in, its section and page; a later sentence of an item also under the item's first one.
          const parts = [bag(termSet(`${chunk.title}\n${chunk.heading}\n${leadIn.text}`))];
          if (item !== undefined && item !== position) parts.push(bags[item]!);
          context = merge(parts);
          contextCredit = LEAD_IN_CREDIT;
        } else if (leansOnPrevious) {
          context = bags[position - 1];
          contextCredit = ANTECEDENT_CREDIT;
        }
        const key = text.toLowerCase().replace(/\W+/g, ' ').trim();
        // Overlapping windows repeat sentences; the first (best-ranked) copy wins.
        if (!key || seen.has(key)) return;
        seen.add(key);
        const matched = match(bags[position]!, context, contextCredit);
        const coverage = share(matched);
        const holdsValue = coverage > 0 && focus.satisfiedBy(text);
        const label = unit.startsLine ? LABEL.exec(text)?.[1] : undefined;
        const labelled = label === undefined ? 0 : share(match(bag(termSet(label))));
        const score = coverage + W_RETRIEVAL * chunk.score + W_HEADING * heading + W_LABEL * labelled + (holdsValue ? W_FOCUS : 0);
        out.push({ chunk: ci, position, text, item, leadIn, own: bags[position]!, context, matched, coverage, score, leansOnPrevious, holdsValue });
      });
    });
    return out;
  }

  /**
   * The best sentence, then up to two that add to it: from its own section when they come close to it,
   * from elsewhere only when they nearly match it and answer a part of the question it leaves open.
   */
  private pick(candidates: Candidate[], best: Candidate, chunks: ScoredChunk[], weight: Map<string, number>, total: number, asksValue: boolean): Candidate[] {
    const chosen = [best];
    const at = (chunk: number, position: number) => candidates.find((c) => c.chunk === chunk && c.position === position);
    // A sentence that refers back is unreadable without the one it refers to; a later sentence of a list item without its first.
    const antecedent = best.leansOnPrevious ? at(best.chunk, best.position - 1) : undefined;
    if (antecedent) chosen.push(antecedent);
    const itemStart = best.item !== undefined && best.item !== best.position ? at(best.chunk, best.item) : undefined;
    if (itemStart) chosen.push(itemStart);

    const section = (c: Candidate) => `${chunks[c.chunk]!.url}#${chunks[c.chunk]!.heading}`;
    const bestSection = section(best);
    const afterChosen = (c: Candidate) => chosen.some((p) => p.chunk === c.chunk && p.position === c.position - 1);
    const nextToBest = (c: Candidate) => c.chunk === best.chunk && Math.abs(c.position - best.position) === 1;
    const adjacent = (c: Candidate) => chosen.some((p) => p.chunk === c.chunk && Math.abs(p.position - c.position) === 1);
    // How well the answer so far covers each question word.
    const coveredSoFar = () => {
      const m = new Map<string, number>();
      for (const c of chosen) for (const [t, v] of c.matched) m.set(t, Math.max(m.get(t) ?? 0, v));
      return m;
    };
    // The share of the question a candidate would newly cover: words the answer so far leaves (nearly) open.
    const addsPart = (c: Candidate) => {
      const have = coveredSoFar();
      const gain = [...c.matched].reduce((sum, [t, v]) => sum + ((have.get(t) ?? 0) < 0.5 ? weight.get(t)! * Math.max(0, v - (have.get(t) ?? 0)) : 0), 0);
      return gain >= PART_SHARE * total;
    };
    // The same answer for a sibling section of the same page: list items that cover what the best one covers.
    const parallel = (c: Candidate) =>
      best.item !== undefined &&
      c.item !== undefined &&
      chunks[c.chunk]!.url === chunks[best.chunk]!.url &&
      section(c) !== bestSection &&
      c.holdsValue === best.holdsValue &&
      c.coverage >= best.coverage - 1e-9;

    const adjusted = (c: Candidate) => {
      let s = c.score;
      if (c.leansOnPrevious) s += W_FOCUS;
      // List siblings are alternatives, not continuations: only prose neighbours get the bonus.
      if (adjacent(c) && c.item === undefined) s += W_NEIGHBOUR;
      return s;
    };
    const eligible = (c: Candidate) => {
      if (section(c) === bestSection) {
        if (c.item !== undefined && best.item !== undefined && c.item !== best.item) return c.score >= OTHER_SECTION_SHARE * best.score;
        // A sentence next to one already chosen qualifies or completes it; one further away has to add something.
        const adds = nextToBest(c) || addsPart(c) || (c.holdsValue && !chosen.some((p) => p.holdsValue));
        return adds && adjusted(c) >= COMPANION_SHARE * best.score;
      }
      // Parts are only added to an answer that stands on its own: two half-matches from two pages are no answer.
      if (parallel(c)) return c.score >= OTHER_SECTION_SHARE * best.score;
      // When the question asks for a kind of value (a price, a duration), a part from elsewhere has to hold one too.
      return best.coverage >= 0.5 && addsPart(c) && c.score >= OTHER_PART_SHARE * best.score && (!asksValue || c.holdsValue);
    };
    const counted = () => chosen.filter((c) => c !== itemStart).length;
    while (counted() < this.maxSentences) {
      const rest = candidates.filter((c) => !chosen.includes(c) && c.coverage > 0 && (!c.leansOnPrevious || afterChosen(c)) && eligible(c));
      if (rest.length === 0) break;
      const next = rest.reduce((a, b) => (adjusted(b) > adjusted(a) ? b : a));
      chosen.push(next);
      const start = next.item !== undefined && next.item !== next.position ? at(next.chunk, next.item) : undefined;
      if (start && !chosen.includes(start)) chosen.push(start);
    }
    // The best chunk's sentences lead; each chunk's sentences keep their page order.
    const rank = (c: Candidate) => (c.chunk === best.chunk ? -1 : c.chunk);
    return chosen.sort((a, b) => rank(a) - rank(b) || a.position - b.position);
  }
}

function bag(terms: Set<string>): Bag {
  return { terms, groups: synonymGroups(terms) };
}

function merge(bags: Bag[]): Bag {
  return { terms: new Set(bags.flatMap((b) => [...b.terms])), groups: new Set(bags.flatMap((b) => [...b.groups])) };
}

/** 1 when the text has the word itself, SYNONYM_CREDIT when it has a word of the same group, else 0. */
function credit(term: string, b: Bag): number {
  if (b.terms.has(term)) return 1;
  const group = synonymGroup(term);
  return group !== undefined && b.groups.has(group) ? SYNONYM_CREDIT : 0;
}

/** For each sentence, the position of the first sentence of its list item (a line that opened with a list marker). */
function listItems(units: { startsLine: boolean; marker?: string }[]): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  let current: number | undefined;
  units.forEach((u, i) => {
    if (u.startsLine) current = u.marker ? i : undefined;
    out.push(current);
  });
  return out;
}

/**
 * What introduces the list an item belongs to: the sentence just before the list when it ends in a colon,
 * else the section heading, else the sentence before the list, else the page title.
 */
function leadInOf(units: { text: string }[], items: (number | undefined)[], item: number, chunk: ScoredChunk): LeadIn | undefined {
  let first = item;
  while (first > 0 && items[first - 1] !== undefined) first--;
  const before = first > 0 ? units[first - 1]!.text : undefined;
  if (before !== undefined && /:\s*$/.test(before)) return { text: before, position: first - 1 };
  if (chunk.heading.trim()) return { text: chunk.heading.trim(), position: undefined };
  if (before !== undefined) return { text: before, position: first - 1 };
  return chunk.title.trim() ? { text: chunk.title.trim(), position: undefined } : undefined;
}

/**
 * Sentences in order; list items as "- item" lines under their lead-in, so an item never stands without
 * what it is an item of ("What cannot be returned:" / "- Gift cards.").
 */
function render(chosen: Candidate[]): string {
  const lines: string[] = [];
  let prose: string[] = [];
  let lastLeadIn: string | undefined;
  const flush = () => {
    if (prose.length) lines.push(prose.join(' '));
    prose = [];
  };
  // A lead-in sentence that was chosen in its own right is shown once, as the lead-in.
  const leadIns = new Set(chosen.flatMap((c) => (c.leadIn?.position !== undefined ? [`${c.chunk}:${c.leadIn.position}`] : [])));
  for (let i = 0; i < chosen.length; i++) {
    const c = chosen[i]!;
    if (c.item === undefined || !c.leadIn) {
      if (leadIns.has(`${c.chunk}:${c.position}`)) continue;
      lastLeadIn = undefined;
      prose.push(c.text);
      continue;
    }
    const leadKey = `${c.chunk}:${c.leadIn.position ?? c.leadIn.text}`;
    if (leadKey !== lastLeadIn) {
      flush();
      lines.push(/[:.?!]$/.test(c.leadIn.text) ? c.leadIn.text : `${c.leadIn.text}:`);
      lastLeadIn = leadKey;
    }
    // Sentences of one item share its line.
    const item: string[] = [c.text];
    while (i + 1 < chosen.length && chosen[i + 1]!.chunk === c.chunk && chosen[i + 1]!.item === c.item) item.push(chosen[++i]!.text);
    lines.push(`- ${item.join(' ')}`);
  }
  flush();
  return lines.join('\n');
}

function citationsOf(chunks: ScoredChunk[]): Citation[] {
  const byUrl = new Map<string, Citation>();
  for (const c of chunks) if (!byUrl.has(c.url)) byUrl.set(c.url, { title: c.title, url: c.url });
  return [...byUrl.values()];
}

function abstain(confidence: number): Answer {
  return { text: ABSTAIN_TEXT, citations: [], confidence: clamp01(confidence), abstained: true };
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
