// One renderer for every medium: a dialect says how marks, links and block shapes are written.
import { merge, type Block, type Mark, type Run } from './markdown.ts';

export interface Dialect {
  /** Open/close markers per mark (bold nests outside italic, strike, code); a mark without markers is dropped. */
  markers: Partial<Record<Mark, readonly [string, string]>>;
  /** Marks a heading's text takes (media without headings show them bold). */
  headingMarks?: readonly Mark[];
  /** Marks whose text is left out: struck-out text shown plainly would say the opposite of what was meant. */
  omit?: readonly Mark[];
  /** Escapes the medium's control characters; applied inside code too (Slack parses `<` even there). */
  escape(text: string): string;
  link(label: string, href: string): string;
  /** The whole line(s) of a block, given its rendered inline text. */
  block(block: Block, inline: string): string;
}

const ORDER: readonly Mark[] = ['bold', 'italic', 'strike', 'code'];

/** Whitespace goes outside the markers: WhatsApp and Slack ignore `* bold*`. */
function wrap(text: string, marks: readonly Mark[], markers: Dialect['markers']): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(text);
  const [lead, core, trail] = [m?.[1] ?? '', m?.[2] ?? text, m?.[3] ?? ''];
  if (!core) return text;
  let inner = core;
  for (const mark of [...ORDER].reverse()) {
    const pair = marks.includes(mark) ? markers[mark] : undefined;
    if (pair) inner = `${pair[0]}${inner}${pair[1]}`;
  }
  return lead + inner + trail;
}

function renderRun(run: Run, d: Dialect): string {
  if (d.omit?.some((m) => run.marks.includes(m))) return '';
  if (run.href) return d.link(run.text, run.href);
  return wrap(d.escape(run.text), run.marks, d.markers);
}

/** A marker right after a bare URL would be read as part of it, so it gets a space; plain punctuation does not. */
function joinRuns(parts: string[]): string {
  return parts.reduce((acc, p) => (/https?:\/\/\S+$/.test(acc) && /^[^\s.,;:!?)'"]/.test(p) ? `${acc} ${p}` : acc + p), '');
}

function renderBlock(block: Block, d: Dialect): string {
  const extra = block.kind === 'heading' ? (d.headingMarks ?? []) : [];
  const runs = extra.length ? merge(block.runs.map((r) => ({ ...r, marks: [...new Set([...extra, ...r.marks])] }))) : block.runs;
  return d.block(block, joinRuns(runs.map((r) => renderRun(r, d))));
}

/** List items sit on consecutive lines; everything else is a paragraph of its own. */
export function renderBlocks(blocks: readonly Block[], d: Dialect): string {
  let out = '';
  blocks.forEach((b, i) => {
    if (i > 0) out += b.kind === 'item' && blocks[i - 1]?.kind === 'item' ? '\n' : '\n\n';
    out += renderBlock(b, d);
  });
  return out;
}

/** The prefix a list item gets in text media: indentation by depth, then a bullet or its number. */
export function bullet(block: Block, symbol: string): string {
  return '  '.repeat(block.depth) + (block.ordinal !== undefined ? `${block.ordinal}. ` : symbol);
}

/** How a link reads where links cannot carry a label: the URL alone when the label is the URL. */
export function bareLink(label: string, href: string): string {
  const l = label.trim();
  if (!l || l === href || `http://${l}` === href || `https://${l}` === href || `mailto:${l}` === href) return href;
  return `${l} (${href})`;
}
