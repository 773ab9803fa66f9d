// Sentence boundaries for chunking and for extractive answers.

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

// ICU breaks after "a.m." or "e.g." when a capital follows; such a piece is not a sentence end.
const ABBREVIATION_END = /(?:\b(?:[a-z]\.){2,}|\b(?:etc|approx|incl|no|vs|mr|mrs|ms|dr|st|ave|apt|dept|est)\.)\s*$/i;

export interface SentenceUnit {
  text: string;
  /** True when the sentence began a line: list items and paragraphs keep their line breaks when rejoined. */
  startsLine: boolean;
}

/**
 * Splits text into sentences. Line breaks always end a sentence, because extracted pages
 * put list items and table rows on lines of their own, often without a full stop.
 */
export function sentenceUnits(text: string): SentenceUnit[] {
  const out: SentenceUnit[] = [];
  for (const rawLine of text.split(/\n+/)) {
    const line = rawLine.replace(/^\s*(?:[*\-•]|\d+\.)\s+/, '').trim();
    if (!line) continue;
    let pending = '';
    let startsLine = true;
    const push = () => {
      if (pending.trim()) out.push({ text: pending.trim(), startsLine });
      startsLine = false;
      pending = '';
    };
    for (const { segment } of segmenter.segment(line)) {
      pending += segment;
      if (!ABBREVIATION_END.test(pending)) push();
    }
    push();
  }
  return out;
}

export function splitSentences(text: string): string[] {
  return sentenceUnits(text).map((u) => u.text);
}

export function joinSentences(units: SentenceUnit[]): string {
  return units.map((u, i) => (i === 0 ? '' : u.startsLine ? '\n' : ' ') + u.text).join('');
}

export function wordCount(text: string): number {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
}
