// Answers without a language model: picks the retrieved sentences that best cover the question.
// It never writes a word the help center did not, and abstains when the coverage is thin.
import { splitSentences } from '../knowledge/sentences.ts';
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

interface Candidate {
  chunk: number;
  position: number;
  text: string;
  /** The sentence's own terms, plus its predecessor's when it refers back to it. */
  terms: Set<string>;
  coverage: number;
  score: number;
  leansOnPrevious: boolean;
}

// A sentence that opens by pointing back ("They ship by freight…") is about what the sentence before it named.
const CONTINUATION = /^(?:it|they|this|these|that|those|its|their|there|then|also|otherwise|however)\b/i;

// Score = share of the question's weight a sentence covers, plus these bonuses.
const W_RETRIEVAL = 0.35; // the chunk's similarity to the question
const W_HEADING = 0.25; // the question's words in the page title or section heading
const W_FOCUS = 0.3; // the sentence holds the kind of value asked for (a duration, a price…)
// Companions to the best sentence: they must come within this share of its score…
const COMPANION_SHARE = 0.5;
// A neighbour of the best sentence usually qualifies or completes it ("…free for exchanges. For other returns we deduct…").
const W_NEIGHBOUR = 0.2;
// …and those from another chunk pay this, so an answer stays on one page unless another adds much.
const OTHER_CHUNK_PENALTY = 0.15;

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
    const question = [...new Set(terms(input.question))].filter((t) => !cues.has(t));
    const chunks = input.chunks;
    if (question.length === 0 || chunks.length === 0) return abstain(0);

    const chunkTerms = chunks.map((c) => termSet(`${c.title}\n${c.heading}\n${c.text}`));
    const headingTerms = chunks.map((c) => termSet(`${c.title}\n${c.heading}`));
    // Rarity among what was retrieved: a word every chunk shares does not tell them apart.
    // A question word no chunk contains gets the highest weight, so it pulls confidence down.
    const weight = new Map<string, number>();
    for (const t of question) {
      const df = chunkTerms.filter((s) => s.has(t)).length;
      weight.set(t, Math.log(1 + (chunks.length + 1) / (df + 0.5)));
    }
    const total = question.reduce((sum, t) => sum + weight.get(t)!, 0);
    const covered = (set: Set<string>) => question.reduce((sum, t) => sum + (set.has(t) ? weight.get(t)! : 0), 0) / total;

    const candidates = this.candidates(chunks, covered, headingTerms, focus);
    if (candidates.length === 0) return abstain(0);
    const best = candidates.reduce((a, b) => (b.score > a.score ? b : a));
    const chosen = this.pick(candidates, best);

    const union = new Set<string>([...headingTerms[best.chunk]!, ...chosen.flatMap((c) => [...c.terms])]);
    const retrieval = chunks[best.chunk]!.score;
    const confidence = clamp01(0.75 * covered(union) + 0.25 * Math.min(1, retrieval / 0.5));
    if (confidence < this.minConfidence || best.coverage === 0) return abstain(confidence);

    return {
      text: chosen.map((c) => c.text).join(' '),
      citations: citationsOf(chosen.map((c) => chunks[c.chunk]!)),
      confidence,
      abstained: false,
    };
  }

  private candidates(
    chunks: ScoredChunk[],
    covered: (s: Set<string>) => number,
    headingTerms: Set<string>[],
    focus: QuestionFocus,
  ): Candidate[] {
    const seen = new Set<string>();
    const out: Candidate[] = [];
    chunks.forEach((chunk, ci) => {
      const heading = covered(headingTerms[ci]!);
      let previous = new Set<string>();
      splitSentences(chunk.text).forEach((text, position) => {
        const own = termSet(text);
        const leansOnPrevious = position > 0 && CONTINUATION.test(text);
        const context = leansOnPrevious ? new Set([...own, ...previous]) : own;
        previous = own;
        const key = text.toLowerCase().replace(/\W+/g, ' ').trim();
        // Overlapping windows repeat sentences; the first (best-ranked) copy wins.
        if (!key || seen.has(key)) return;
        seen.add(key);
        const coverage = covered(context);
        const value = coverage > 0 && focus.satisfiedBy(text) ? W_FOCUS : 0;
        const score = coverage + W_RETRIEVAL * chunk.score + W_HEADING * heading + value;
        out.push({ chunk: ci, position, text, terms: context, coverage, score, leansOnPrevious });
      });
    });
    return out;
  }

  /** The best sentence, then up to two that add to it, preferring its own chunk; returned in page order. */
  private pick(candidates: Candidate[], best: Candidate): Candidate[] {
    const chosen = [best];
    const at = (chunk: number, position: number) => candidates.find((c) => c.chunk === chunk && c.position === position);
    // A sentence that refers back is unreadable without the one it refers to.
    const antecedent = best.leansOnPrevious ? at(best.chunk, best.position - 1) : undefined;
    if (antecedent) chosen.push(antecedent);

    const afterChosen = (c: Candidate) => chosen.some((p) => p.chunk === c.chunk && p.position === c.position - 1);
    const adjusted = (c: Candidate) => {
      let s = c.score - (c.chunk === best.chunk ? 0 : OTHER_CHUNK_PENALTY);
      if (c.leansOnPrevious) s += W_FOCUS;
      if (c.chunk === best.chunk && Math.abs(c.position - best.position) === 1) s += W_NEIGHBOUR;
      return s;
    };
    while (chosen.length < this.maxSentences) {
      const rest = candidates.filter((c) => !chosen.includes(c) && c.coverage > 0 && (!c.leansOnPrevious || afterChosen(c)));
      if (rest.length === 0) break;
      const next = rest.reduce((a, b) => (adjusted(b) > adjusted(a) ? b : a));
      if (adjusted(next) < COMPANION_SHARE * best.score) break;
      chosen.push(next);
    }
    // The best chunk's sentences lead; each chunk's sentences keep their page order.
    const rank = (c: Candidate) => (c.chunk === best.chunk ? -1 : c.chunk);
    return chosen.sort((a, b) => rank(a) - rank(b) || a.position - b.position);
  }
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
