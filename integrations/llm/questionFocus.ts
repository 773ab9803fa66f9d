// What kind of value a question asks for. "How long…" is answered by a duration, not by the word "long":
// knowing that lets the extractive answerer prefer the sentence that holds the value.

export type Focus = 'duration' | 'money' | 'clock' | 'count' | 'contact';

interface FocusRule {
  focus: Focus;
  /** Recognises the question. */
  asks: RegExp;
  /** Question words that only name the kind of value; dropped from the terms a sentence must share. */
  cueWords: string[];
  /** Recognises a sentence that holds such a value. */
  holds: RegExp;
}

const DURATION_UNIT = '(?:minutes?|hours?|days?|weeks?|months?|years?|seasons?)';
const NUMBER = '(?:\\d+(?:[.,]\\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a few|several)';

const RULES: FocusRule[] = [
  {
    focus: 'duration',
    asks: /\bhow (?:long|soon|quickly|fast)\b|\bhow many (?:minutes|hours|days|weeks|months|years)\b/i,
    cueWords: ['long', 'soon', 'quickly', 'fast', 'take', 'last'],
    holds: new RegExp(`\\b${NUMBER}(?:\\s*(?:to|-|–|or)\\s*${NUMBER})?(?:\\s+business|\\s+working|\\s+calendar)?[\\s-]+${DURATION_UNIT}\\b|\\b(?:same|next) (?:business )?day\\b`, 'i'),
  },
  {
    focus: 'money',
    // "Is shipping free?" asks about a price too: "free" or an amount answers it.
    asks: /\bhow much\b|\b(?:cost|costs|price|prices|fee|fees|charge|surcharge)\b|\b(?:is|are)\b.*\bfree\b/i,
    cueWords: ['much', 'cost'],
    holds: /[$€£¥]\s?\d|\b\d+(?:[.,]\d+)?\s?(?:usd|eur|gbp|dollars?|euros?|pounds?|cents?)\b|\bfree\b/i,
  },
  {
    focus: 'clock',
    asks: /\bwhat time\b|\bwhen (?:do|does|are|is) .*\b(?:open|close|closed|opens|closes)\b|\bcut-?off\b|\bdeadline\b|\bopening hours\b/i,
    cueWords: ['time'],
    holds: /\b\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\b(?:noon|midnight)\b/i,
  },
  {
    // "Are you open on Sunday?" asks for opening hours: times or "closed" answer it, and "open" itself is only the cue.
    focus: 'clock',
    asks: /\b(?:are|is)\s+(?:you|it|they|the\s+[\w-]+(?:\s+[\w-]+)?)\s+(?:still\s+)?open\b|\bopen(?:ing)?\s+(?:hours|times)\b|\b(?:store|shop|office|business)\s+hours\b/i,
    cueWords: ['open', 'opening', 'hours'],
    holds: /\b\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\b(?:noon|midnight)\b|\bclosed\b|\b24\s*(?:hours|\/\s*7)\b/i,
  },
  {
    focus: 'count',
    asks: /\bhow many\b/i,
    cueWords: ['many'],
    holds: /\b\d+\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\b/i,
  },
  {
    focus: 'contact',
    asks: /\b(?:phone|telephone) number\b|\bcall you\b|\bemail address\b|\bcontact you\b/i,
    cueWords: ['number'],
    holds: /\b\d[\d\s().-]{6,}\d\b|\b[\w.+-]+@[\w-]+\.[\w.]+\b/,
  },
];

export interface QuestionFocus {
  focus: Focus[];
  cueWords: Set<string>;
  /** True when the sentence holds a value of a kind the question asks for. */
  satisfiedBy(sentence: string): boolean;
}

export function questionFocus(question: string): QuestionFocus {
  const rules = RULES.filter((r) => r.asks.test(question));
  return {
    focus: [...new Set(rules.map((r) => r.focus))],
    cueWords: new Set(rules.flatMap((r) => r.cueWords)),
    satisfiedBy: (sentence) => rules.some((r) => r.holds.test(sentence)),
  };
}
