// Markdown-like answer text → a small block/run model that every medium renders and truncates the same way.
// marked's lexer is used because it is one dependency-free package with its own types and GFM (autolinks,
// strikethrough, tables) on by default; mdast-util-from-markdown needs micromark + GFM extensions + @types/mdast for that.
import { lexer, type Token, type Tokens } from 'marked';

export type Mark = 'bold' | 'italic' | 'strike' | 'code';

/** A stretch of text with one set of marks; a link run is never split when truncating. */
export interface Run {
  text: string;
  marks: readonly Mark[];
  href?: string;
}

export type BlockKind = 'paragraph' | 'heading' | 'item' | 'code';

export interface Block {
  kind: BlockKind;
  runs: Run[];
  /** List nesting (0 for top level). */
  depth: number;
  /** Set on items of ordered lists. */
  ordinal?: number;
  quoted: boolean;
}

const withMark = (marks: readonly Mark[], m: Mark): Mark[] => (marks.includes(m) ? [...marks] : [...marks, m]);
const stripTags = (html: string) => html.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]*>/g, '');

function inline(tokens: readonly Token[] | undefined, marks: readonly Mark[], out: Run[]): Run[] {
  for (const t of tokens ?? []) {
    const tok = t as Tokens.Generic;
    switch (tok.type) {
      case 'strong': inline(tok.tokens, withMark(marks, 'bold'), out); break;
      case 'em': inline(tok.tokens, withMark(marks, 'italic'), out); break;
      case 'del': inline(tok.tokens, withMark(marks, 'strike'), out); break;
      case 'codespan': out.push({ text: String(tok.text), marks: withMark(marks, 'code') }); break;
      case 'br': out.push({ text: '\n', marks }); break;
      case 'link':
      case 'image': {
        const label = inline(tok.tokens, [], []).map((r) => r.text).join('') || String(tok.text ?? '');
        out.push({ text: label, marks, href: String(tok.href) });
        break;
      }
      case 'html': out.push({ text: stripTags(String(tok.text)), marks }); break;
      case 'checkbox': break;
      default:
        if (tok.tokens?.length) inline(tok.tokens, marks, out);
        else out.push({ text: String(tok.text ?? ''), marks });
    }
  }
  return out;
}

/** Adjacent runs with the same marks are merged so a medium never emits `*a**b*`. */
export function merge(runs: Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    if (!r.text) continue;
    const prev = out.at(-1);
    if (prev && !prev.href && !r.href && prev.marks.length === r.marks.length && prev.marks.every((m) => r.marks.includes(m))) {
      out[out.length - 1] = { ...prev, text: prev.text + r.text };
    } else out.push(r);
  }
  return out;
}

function blocks(tokens: readonly Token[], ctx: { depth: number; quoted: boolean }, out: Block[]): Block[] {
  const push = (kind: BlockKind, runs: Run[], extra: Partial<Block> = {}) => {
    const merged = merge(runs);
    if (merged.some((r) => r.text.trim())) out.push({ kind, runs: merged, depth: ctx.depth, quoted: ctx.quoted, ...extra });
  };
  for (const t of tokens) {
    const tok = t as Tokens.Generic;
    switch (tok.type) {
      case 'paragraph':
      case 'text': push('paragraph', inline(tok.tokens ?? [{ type: 'text', raw: tok.raw, text: tok.text }], [], [])); break;
      case 'heading': push('heading', inline(tok.tokens, [], [])); break;
      case 'code': push('code', [{ text: String(tok.text), marks: [] }]); break;
      case 'html': push('paragraph', [{ text: stripTags(String(tok.text)).trim(), marks: [] }]); break;
      case 'blockquote': blocks(tok.tokens ?? [], { ...ctx, quoted: true }, out); break;
      case 'list': list(tok as Tokens.List, ctx, out); break;
      case 'table': table(tok as Tokens.Table, push); break;
      default: break; // space, hr, def: nothing to show
    }
  }
  return out;
}

function list(tok: Tokens.List, ctx: { depth: number; quoted: boolean }, out: Block[]) {
  const start = typeof tok.start === 'number' ? tok.start : 1;
  tok.items.forEach((item, i) => {
    const runs: Run[] = [];
    const rest: Token[] = [];
    for (const child of item.tokens) {
      if ((child.type === 'text' || child.type === 'paragraph') && rest.length === 0) {
        if (runs.length) runs.push({ text: '\n', marks: [] });
        inline((child as Tokens.Generic).tokens ?? [child], [], runs);
      } else rest.push(child);
    }
    const merged = merge(runs);
    out.push({ kind: 'item', runs: merged.length ? merged : [{ text: ' ', marks: [] }], depth: ctx.depth, quoted: ctx.quoted, ...(tok.ordered ? { ordinal: start + i } : {}) });
    blocks(rest, { ...ctx, depth: ctx.depth + 1 }, out);
  });
}

/** Tables become one line per row, "Header: cell; …", which reads well in every medium, SMS included. */
function table(tok: Tokens.Table, push: (kind: BlockKind, runs: Run[]) => void) {
  const headers = tok.header.map((h) => h.text.trim());
  for (const row of tok.rows) {
    const runs: Run[] = [];
    row.forEach((cell, i) => {
      if (i > 0) runs.push({ text: '; ', marks: [] });
      if (headers[i]) runs.push({ text: `${headers[i]}: `, marks: [] });
      inline(cell.tokens, [], runs);
    });
    push('paragraph', runs);
  }
}

export function parseMarkdown(text: string): Block[] {
  return blocks(lexer(text.replace(/\r\n?/g, '\n')), { depth: 0, quoted: false }, []);
}
