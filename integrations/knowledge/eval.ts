// Scores a knowledge base against questions with known answers. Pure: the caller supplies ask(),
// so the script and the integration tests measure the same thing over whatever stack they run.
import type { Answer, ScoredChunk } from '../types.ts';

export interface EvalQuestion {
  question: string;
  /** Path of the page that answers it, matched as a suffix of the page url. */
  page: string;
  mustContain: string[];
}

export interface Asked {
  answer: Answer;
  retrieved: ScoredChunk[];
}

export type Ask = (question: string) => Promise<Asked>;

export interface EvalRow {
  question: string;
  expectedPage: string;
  /** Cited pages first, then the other retrieved pages, best first, without repeats. */
  pages: string[];
  rank: number | undefined;
  contained: boolean;
  missing: string[];
  abstained: boolean;
  confidence: number;
  answer: string;
}

export interface EvalReport {
  total: number;
  hitAt1: number;
  hitAt3: number;
  containment: number;
  abstained: number;
  rows: EvalRow[];
}

export interface AbstainRow {
  message: string;
  abstained: boolean;
  confidence: number;
  answer: string;
}

function rankedPages(asked: Asked): string[] {
  const urls = [...asked.answer.citations.map((c) => c.url), ...asked.retrieved.map((c) => c.url)];
  return [...new Set(urls)];
}

function matchesPage(url: string, page: string): boolean {
  const path = page.replace(/^\.?\//, '');
  const clean = url.split(/[?#]/)[0] ?? url;
  return clean === path || clean.endsWith(`/${path}`);
}

export async function evaluate(questions: EvalQuestion[], ask: Ask): Promise<EvalReport> {
  const rows: EvalRow[] = [];
  for (const q of questions) {
    const asked = await ask(q.question);
    const pages = rankedPages(asked);
    const index = pages.findIndex((u) => matchesPage(u, q.page));
    const text = asked.answer.abstained ? '' : asked.answer.text.toLowerCase();
    const missing = q.mustContain.filter((m) => !text.includes(m.toLowerCase()));
    rows.push({
      question: q.question,
      expectedPage: q.page,
      pages,
      rank: index >= 0 ? index + 1 : undefined,
      contained: missing.length === 0,
      missing,
      abstained: asked.answer.abstained,
      confidence: asked.answer.confidence,
      answer: asked.answer.text,
    });
  }
  const share = (n: number) => (rows.length ? n / rows.length : 0);
  return {
    total: rows.length,
    hitAt1: share(rows.filter((r) => r.rank === 1).length),
    hitAt3: share(rows.filter((r) => r.rank !== undefined && r.rank <= 3).length),
    containment: share(rows.filter((r) => r.contained).length),
    abstained: rows.filter((r) => r.abstained).length,
    rows,
  };
}

/** Messages the knowledge base cannot answer: each should come back abstained. */
export async function evaluateAbstentions(messages: string[], ask: Ask): Promise<AbstainRow[]> {
  const rows: AbstainRow[] = [];
  for (const message of messages) {
    const { answer } = await ask(message);
    rows.push({ message, abstained: answer.abstained, confidence: answer.confidence, answer: answer.text });
  }
  return rows;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatReport(report: EvalReport, abstentions: AbstainRow[] = []): string {
  const lines = [
    `questions   ${report.total}`,
    `hit@1       ${pct(report.hitAt1)}`,
    `hit@3       ${pct(report.hitAt3)}`,
    `containment ${pct(report.containment)}`,
    `abstained   ${report.abstained}`,
  ];
  const misses = report.rows.filter((r) => r.rank !== 1 || !r.contained);
  if (misses.length) {
    lines.push('', 'misses (rank of the expected page, missing words, answer):');
    for (const r of misses) {
      lines.push(`- ${r.question}`);
      lines.push(`    expected ${r.expectedPage} at rank ${r.rank ?? '-'}; missing ${r.missing.length ? r.missing.map((m) => JSON.stringify(m)).join(', ') : 'none'}; confidence ${r.confidence.toFixed(2)}${r.abstained ? ' (abstained)' : ''}`);
      lines.push(`    top pages: ${r.pages.slice(0, 3).join(' ')}`);
      lines.push(`    answer: ${r.answer}`);
    }
  }
  if (abstentions.length) {
    const answered = abstentions.filter((a) => !a.abstained);
    lines.push('', `should abstain: ${abstentions.length - answered.length}/${abstentions.length} abstained`);
    for (const a of abstentions) lines.push(`- ${a.abstained ? 'abstained' : 'ANSWERED '} ${a.confidence.toFixed(2)} ${a.message}${a.abstained ? '' : ` → ${a.answer}`}`);
  }
  return lines.join('\n');
}
