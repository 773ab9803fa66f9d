// Lists the pages of a knowledge source: files on disk, one URL, or a site's sitemap (robots.txt respected).
import { XMLParser } from 'fast-xml-parser';
import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import robotsParserModule from 'robots-parser';
import { z } from 'zod';
import { IntegrationError } from '../types.ts';
import { decode, fetchResource, USER_AGENT, type FetchOptions } from './fetch.ts';

export const sourceSpecSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('files'), paths: z.array(z.string().min(1)).min(1) }).strict(),
  z.object({ type: z.literal('url'), url: z.string().url() }).strict(),
  z.object({ type: z.literal('sitemap'), url: z.string().url() }).strict(),
]);

export type SourceSpec = z.infer<typeof sourceSpecSchema>;

export interface DiscoverOptions extends FetchOptions {
  /** Stop listing after this many pages. */
  maxPages?: number;
}

const PAGE_EXTENSIONS = new Set(['.html', '.htm', '.md', '.txt']);
const MAX_SITEMAP_DEPTH = 3;

// robots-parser is CommonJS whose typings claim an ES default export: at run time the default import is the function itself.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;

async function walk(path: string, out: string[]): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new IntegrationError('not_found', `${path} does not exist`, { retryable: false, cause: err });
  }
  if (info.isFile()) {
    if (PAGE_EXTENSIONS.has(extname(path).toLowerCase())) out.push(pathToFileURL(path).href);
    return;
  }
  if (!info.isDirectory()) return;
  const entries = await readdir(path, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    // Hidden folders (.git, .cache) and dependencies are never help-center content.
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    if (entry.isDirectory() || entry.isFile()) await walk(join(path, entry.name), out);
  }
}

export async function discoverFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) await walk(resolve(p), out);
  return [...new Set(out)];
}

export type RobotsCheck = (url: string) => boolean;

/**
 * robots.txt of the URL's origin. A missing file (4xx) allows everything; a server error is retried
 * rather than read as permission, as RFC 9309 asks.
 */
export async function robotsFor(url: string, opts: FetchOptions = {}): Promise<RobotsCheck> {
  const robotsUrl = new URL('/robots.txt', url).href;
  const agent = opts.userAgent ?? USER_AGENT;
  let text = '';
  try {
    text = decode(await fetchResource(robotsUrl, { ...opts, maxBytes: 512 * 1024 }));
  } catch (err) {
    if (!(err instanceof IntegrationError) || err.retryable) throw err;
  }
  const robots = robotsParser(robotsUrl, text);
  return (u) => robots.isAllowed(u, agent) !== false;
}

const xml = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, isArray: (name) => name === 'url' || name === 'sitemap' });

interface SitemapXml {
  urlset?: { url?: { loc?: unknown }[] };
  sitemapindex?: { sitemap?: { loc?: unknown }[] };
}

const locs = (entries: { loc?: unknown }[] | undefined): string[] =>
  (entries ?? []).map((e) => (typeof e.loc === 'string' ? e.loc.trim() : '')).filter(Boolean);

export async function discoverSitemap(sitemapUrl: string, opts: DiscoverOptions = {}): Promise<string[]> {
  const origin = new URL(sitemapUrl).origin;
  const allowed = await robotsFor(sitemapUrl, opts);
  const max = opts.maxPages ?? 5000;
  const pages = new Set<string>();
  const seen = new Set<string>();

  const read = async (url: string, depth: number): Promise<void> => {
    if (seen.has(url) || depth > MAX_SITEMAP_DEPTH || pages.size >= max) return;
    seen.add(url);
    const resource = await fetchResource(url, opts);
    const bytes = resource.bytes[0] === 0x1f && resource.bytes[1] === 0x8b ? gunzipSync(resource.bytes) : resource.bytes;
    let doc: SitemapXml;
    try {
      doc = xml.parse(decode({ ...resource, bytes })) as SitemapXml;
    } catch (err) {
      throw new IntegrationError('invalid_request', `${url} is not a valid sitemap: ${(err as Error).message}`, { retryable: false, cause: err });
    }
    if (!doc.urlset && !doc.sitemapindex) throw new IntegrationError('invalid_request', `${url} is not a sitemap`, { retryable: false });
    for (const child of locs(doc.sitemapindex?.sitemap)) await read(child, depth + 1);
    for (const loc of locs(doc.urlset?.url)) {
      if (pages.size >= max) break;
      // The sitemap protocol only vouches for URLs on its own origin.
      let page: URL;
      try {
        page = new URL(loc);
      } catch {
        continue;
      }
      if (page.origin !== origin || !allowed(page.href)) continue;
      page.hash = '';
      pages.add(page.href);
    }
  };

  await read(sitemapUrl, 0);
  return [...pages];
}

export async function discover(spec: SourceSpec, opts: DiscoverOptions = {}): Promise<string[]> {
  switch (spec.type) {
    case 'files':
      return (await discoverFiles(spec.paths)).slice(0, opts.maxPages ?? 5000);
    case 'url': {
      const allowed = await robotsFor(spec.url, opts);
      if (!allowed(spec.url)) throw new IntegrationError('invalid_request', `robots.txt disallows ${spec.url}`, { retryable: false });
      return [spec.url];
    }
    case 'sitemap':
      return discoverSitemap(spec.url, opts);
  }
}
