// Turns a fetched page into a title and headed sections of plain text.
import { convert, type FormatCallback, type HtmlToTextOptions } from 'html-to-text';

export interface Section {
  heading: string;
  text: string;
}

export interface ExtractedPage {
  title: string;
  sections: Section[];
}

export type PageKind = 'html' | 'markdown' | 'text';

// A private-use character practically never opens a line of real text, so a line that starts with it is a heading we emitted.
const HEADING_MARK = '\uE000';

const markHeading: FormatCallback = (elem, walk, builder) => {
  builder.openBlock({ leadingLineBreaks: 2 });
  builder.addLiteral(HEADING_MARK);
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: 2 });
};

interface Node {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: Node[];
}

/** Text of a node, leaving out what sits inside links. */
function textOutsideLinks(node: Node): string {
  if (node.type === 'text') return node.data ?? '';
  if (node.name === 'a') return '';
  return (node.children ?? []).map(textOutsideLinks).join('');
}

/**
 * A list whose every item is nothing but a link is navigation (a category index, "related articles"),
 * even inside <main>: it names pages without saying anything, and would only echo their titles back.
 */
const listUnlessLinks: FormatCallback = (elem, walk, builder) => {
  const node = elem as unknown as Node;
  const items = (node.children ?? []).filter((c) => c.type === 'tag' && c.name === 'li');
  if (items.length >= 2 && items.every((li) => !textOutsideLinks(li).trim())) return;
  const ordered = node.name === 'ol';
  let n = Number(node.attribs?.start ?? '1') || 1;
  builder.openList({ interRowLineBreaks: 1, leadingLineBreaks: 2, maxPrefixLength: 4, prefixAlign: 'left' });
  for (const li of items) {
    builder.openListItem({ prefix: ordered ? `${n++}. ` : '* ' });
    walk([li as never], builder);
    builder.closeListItem();
  }
  builder.closeList({ trailingLineBreaks: 2 });
};

const SKIP = ['nav', 'header', 'footer', 'aside', 'script', 'style', 'noscript', 'template', 'form', 'button', 'select', 'iframe', 'svg', 'img', 'dialog', '[hidden]', '[aria-hidden=true]'];

const bodyOptions: HtmlToTextOptions = {
  wordwrap: false,
  // The walk stops at the first match, so content outside <main>/<article> (menus, banners) is never read when they exist.
  baseElements: { selectors: ['main', 'article', '[role=main]'], returnDomByDefault: true },
  formatters: { markHeading, listUnlessLinks },
  selectors: [
    ...SKIP.map((selector) => ({ selector, format: 'skip' })),
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, format: 'markHeading' })),
    { selector: 'ul', format: 'listUnlessLinks' },
    { selector: 'ol', format: 'listUnlessLinks' },
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'table', format: 'dataTable' },
  ],
};

const onlyText = (selector: string): HtmlToTextOptions => ({
  wordwrap: false,
  baseElements: { selectors: [selector], returnDomByDefault: false },
  limits: { maxBaseElements: 1 },
  selectors: [{ selector: 'a', options: { ignoreHref: true } }],
});

function clean(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** "Shipping | Acme" → "Shipping": the site name repeats on every page and tells nothing about this one. */
function pageTitle(rawTitle: string): string {
  // Only separators that sites use for "page | site"; a plain hyphen is too often part of the title itself.
  const parts = rawTitle.split(/\s+[|\u2013\u2014·]\s+/).map((p) => p.trim()).filter(Boolean);
  return parts[0] ?? '';
}

/** Splits text where our heading marks are; text before the first heading gets heading ''. */
function sectionsFromMarked(text: string, isHeading: (line: string) => string | undefined): { h1: string; sections: Section[] } {
  const sections: Section[] = [];
  let h1 = '';
  let current: { heading: string; lines: string[] } = { heading: '', lines: [] };
  const flush = () => {
    const body = clean(current.lines.join('\n'));
    if (body) sections.push({ heading: current.heading, text: body });
  };
  for (const line of text.split('\n')) {
    const heading = isHeading(line);
    if (heading === undefined) {
      current.lines.push(line);
      continue;
    }
    flush();
    // The page's first heading usually repeats its title: keep it as the title, not a section.
    const first = !h1 && sections.length === 0 && current.lines.every((l) => !l.trim());
    if (first) h1 = heading;
    current = { heading: first ? '' : heading, lines: [] };
  }
  flush();
  return { h1, sections };
}

export function extractHtml(html: string): ExtractedPage {
  const marked = convert(html, bodyOptions);
  const { h1, sections } = sectionsFromMarked(marked, (line) =>
    line.startsWith(HEADING_MARK) ? line.slice(HEADING_MARK.length).replace(/\s+/g, ' ').trim() : undefined,
  );
  const title = pageTitle(clean(convert(html, onlyText('title')))) || h1 || clean(convert(html, onlyText('h1')));
  return { title, sections };
}

/** Markdown without a parser: headings split sections; links, emphasis and code marks are dropped. */
export function extractMarkdown(md: string): ExtractedPage {
  const body = md.replace(/^---\n[\s\S]*?\n---\n/, '').replace(/```[^\n]*\n([\s\S]*?)```/g, '$1');
  const inline = (s: string) =>
    s
      .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/(\*\*|__|\*|_|`)(.+?)\1/g, '$2');
  const { h1, sections } = sectionsFromMarked(body.split('\n').map(inline).join('\n'), (line) => {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    return m ? (m[1] ?? '') : undefined;
  });
  return { title: h1, sections };
}

export function extractText(text: string): ExtractedPage {
  const body = clean(text);
  const firstLine = body.split('\n', 1)[0] ?? '';
  return { title: firstLine.length <= 120 ? firstLine : '', sections: body ? [{ heading: '', text: body }] : [] };
}

export function extractPage(body: string, kind: PageKind): ExtractedPage {
  if (kind === 'html') return extractHtml(body);
  if (kind === 'markdown') return extractMarkdown(body);
  return extractText(body);
}
