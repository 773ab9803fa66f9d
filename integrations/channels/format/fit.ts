// Cutting rendered text to a medium's limit. Cuts happen between words (a link is one word) on the block
// model, so markers are always closed by the renderer and never left dangling.
import type { Block, Run } from './markdown.ts';

interface Atom {
  block: number;
  run: number;
  /** Offset in the run's text just after this atom. */
  end: number;
  text: string;
}

function atoms(blocks: readonly Block[]): Atom[] {
  const out: Atom[] = [];
  blocks.forEach((b, bi) =>
    b.runs.forEach((r, ri) => {
      if (r.href) return void out.push({ block: bi, run: ri, end: r.text.length, text: r.text });
      for (const m of r.text.matchAll(/\S+\s*|\s+/g)) out.push({ block: bi, run: ri, end: m.index + m[0].length, text: m[0] });
    }),
  );
  return out;
}

function take(blocks: readonly Block[], all: readonly Atom[], k: number): Block[] {
  const last = all[k - 1];
  if (!last) return [];
  const head = blocks.slice(0, last.block);
  const b = blocks[last.block]!;
  const runs: Run[] = b.runs.slice(0, last.run);
  const r = b.runs[last.run]!;
  runs.push(r.href ? r : { ...r, text: r.text.slice(0, last.end) });
  const tail = runs.at(-1)!;
  if (!tail.href) runs[runs.length - 1] = { ...tail, text: tail.text.trimEnd() };
  return [...head, { ...b, runs: runs.filter((x) => x.text) }];
}

const SENTENCE_END = /[.!?。！？]["'”’)\]]*\s*$/;

export interface FitOptions {
  render(blocks: readonly Block[]): string;
  fits(text: string): boolean;
  /** What follows the whole text when nothing was cut (sources, links). */
  tail?: string;
  /** What follows a cut instead: it may differ when the cut falls at the end of a sentence or list item. */
  suffix(endsSentence: boolean): string;
}

/** A cut may give up this share of what would fit to end on a whole sentence instead of mid-sentence. */
const SENTENCE_SLACK = 0.3;

/** A suffix glued to a bare URL would be read as part of it by linkifiers, so a space goes between. */
function joinSuffix(text: string, suffix: string): string {
  return /https?:\/\/\S+$/.test(text) && /^\S/.test(suffix) ? `${text} ${suffix}` : text + suffix;
}

export function fitBlocks(blocks: readonly Block[], opts: FitOptions): string {
  const full = opts.render(blocks) + (opts.tail ?? '');
  if (opts.fits(full)) return full;
  const all = atoms(blocks);
  const ok = (k: number) => {
    const text = opts.render(take(blocks, all, k));
    return opts.fits(joinSuffix(text, opts.suffix(false))) && opts.fits(joinSuffix(text, opts.suffix(true)));
  };
  // Longer prefixes never fit better, so the longest fitting prefix can be found by bisection.
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  const endsAt = (k: number) => {
    const a = all[k - 1];
    const next = all[k];
    return !!a && (SENTENCE_END.test(a.text) || !next || next.block !== a.block);
  };
  let k = lo;
  const floor = Math.ceil(lo * (1 - SENTENCE_SLACK));
  for (let j = lo; j >= floor && j > 0; j--) {
    if (endsAt(j)) {
      k = j;
      break;
    }
  }
  const text = opts.render(take(blocks, all, k));
  return joinSuffix(text, opts.suffix(k > 0 && endsAt(k)));
}
