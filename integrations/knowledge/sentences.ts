// Sentence boundaries for chunking and for extractive answers.

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

// ICU breaks after "a.m." or "e.g." when a capital follows; such a piece is not a sentence end.
const ABBREVIATION_END = /(?:\b(?:[a-z]\.){2,}|\b(?:etc|approx|incl|no|vs|mr|mrs|ms|dr|st|ave|apt|dept|est)\.)\s*$/i;

export interface SentenceUnit {
  text: string;
  /** True when the sentence began a line: list items and paragraphs keep their line breaks when rejoined. */
  startsLine: boolean;
  /**
   * The list marker the sentence's line opened with ("-" for any bullet, "3." for a numbered item), on the
   * line's first sentence only. Kept through chunking so an answer can tell a list item from a paragraph.
   */
  marker?: string;
}

const LIST_MARKER = /^\s*([*\-•]|\d+\.)\s+/;

/**
 * Splits text into sentences. Line breaks always end a sentence, because extracted pages
 * put list items and table rows on lines of their own, often without a full stop.
 */
export function sentenceUnits(text: string): SentenceUnit[] {
  const out: SentenceUnit[] = [];
  for (const rawLine of text.split(/\n+/)) {
    const bullet = LIST_MARKER.exec(rawLine)?.[1];
    const line = rawLine.replace(LIST_MARKER, '').trim();
    if (!line) continue;
    let pending = '';
    let startsLine = true;
    let marker = bullet === undefined ? undefined : /\d/.test(bullet) ? bullet : '-';
    const push = () => {
      if (pending.trim()) {
        out.push(marker === undefined ? { text: pending.trim(), startsLine } : { text: pending.trim(), startsLine, marker });
        marker = undefined;
      }
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
  return units.map((u, i) => (i === 0 ? '' : u.startsLine ? '\n' : ' ') + (u.startsLine && u.marker ? `${u.marker} ` : '') + u.text).join('');
}

export function wordCount(text: string): number {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
}
