// Reads one page of a knowledge source, from the web or the local disk, within a time and size budget.
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IntegrationError } from '../types.ts';
import type { PageKind } from './extract.ts';

export const USER_AGENT = 'ThreadlineBot';

export interface FetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
  userAgent?: string;
}

export interface FetchedResource {
  url: string;
  contentType: string;
  bytes: Buffer;
}

export interface FetchedPage {
  url: string;
  kind: PageKind;
  body: string;
}

const DEFAULTS = { timeoutMs: 15_000, maxBytes: 5 * 1024 * 1024, userAgent: USER_AGENT };

const EXTENSION_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.htm': 'text/html',
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
  '.txt': 'text/plain',
  '.xml': 'application/xml',
};

function tooLarge(url: string, max: number): IntegrationError {
  return new IntegrationError('invalid_request', `${url} is larger than ${max} bytes`, { retryable: false });
}

async function readFileUrl(url: URL, max: number): Promise<FetchedResource> {
  const path = fileURLToPath(url);
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new IntegrationError('invalid_request', `${url.href} is not a file`, { retryable: false });
    if (info.size > max) throw tooLarge(url.href, max);
    const handle = await open(path);
    try {
      const bytes = await handle.readFile();
      return { url: url.href, contentType: EXTENSION_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream', bytes };
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof IntegrationError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new IntegrationError('not_found', `${url.href} does not exist`, { retryable: false, cause: err });
    if (code === 'EACCES' || code === 'EPERM') throw new IntegrationError('unauthorized', `${url.href} is not readable`, { retryable: false, cause: err });
    throw new IntegrationError('unknown', `reading ${url.href} failed: ${String(err)}`, { cause: err });
  }
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function httpError(url: string, res: Response): IntegrationError {
  const status = res.status;
  const message = `GET ${url} answered ${status}`;
  if (status === 429) return new IntegrationError('rate_limited', message, { status, retryAfterMs: retryAfterMs(res.headers.get('retry-after')) });
  if (status === 408) return new IntegrationError('timeout', message, { status });
  if (status >= 500) return new IntegrationError('unavailable', message, { status });
  if (status === 401 || status === 403) return new IntegrationError('unauthorized', message, { status });
  if (status === 404 || status === 410) return new IntegrationError('not_found', message, { status });
  return new IntegrationError('invalid_request', message, { status, retryable: false });
}

/** Reads the body but stops at the cap, so a huge or endless response cannot fill memory. */
async function readCapped(url: string, res: Response, max: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel();
    throw tooLarge(url, max);
  }
  if (!res.body) return Buffer.alloc(0);
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge(url, max);
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}

async function fetchHttp(url: URL, opts: Required<FetchOptions>): Promise<FetchedResource> {
  const signal = AbortSignal.timeout(opts.timeoutMs);
  try {
    const res = await fetch(url, { signal, redirect: 'follow', headers: { 'user-agent': opts.userAgent, accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,text/*;q=0.8,*/*;q=0.5' } });
    if (!res.ok) {
      await res.body?.cancel();
      throw httpError(url.href, res);
    }
    const bytes = await readCapped(url.href, res, opts.maxBytes);
    return { url: url.href, contentType: res.headers.get('content-type') ?? '', bytes };
  } catch (err) {
    if (err instanceof IntegrationError) throw err;
    if (signal.aborted) throw new IntegrationError('timeout', `GET ${url.href} took longer than ${opts.timeoutMs} ms`, { cause: err });
    throw new IntegrationError('unavailable', `GET ${url.href} failed: ${(err as Error).message}`, { cause: err });
  }
}

/** Raw bytes of an http(s) or file URL; any other scheme is refused. */
export async function fetchResource(rawUrl: string, options: FetchOptions = {}): Promise<FetchedResource> {
  const opts = { ...DEFAULTS, ...options };
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch (err) {
    throw new IntegrationError('invalid_request', `not a URL: ${rawUrl}`, { retryable: false, cause: err });
  }
  if (url.protocol === 'file:') return readFileUrl(url, opts.maxBytes);
  if (url.protocol === 'http:' || url.protocol === 'https:') return fetchHttp(url, opts);
  throw new IntegrationError('invalid_request', `unsupported URL scheme ${url.protocol} in ${rawUrl}`, { retryable: false });
}

function charsetOf(contentType: string): string {
  return /charset=["']?([\w-]+)/i.exec(contentType)?.[1]?.toLowerCase() ?? 'utf-8';
}

export function decode(resource: FetchedResource): string {
  try {
    return new TextDecoder(charsetOf(resource.contentType)).decode(resource.bytes);
  } catch {
    return new TextDecoder('utf-8').decode(resource.bytes);
  }
}

function kindOf(url: string, contentType: string, body: string): PageKind {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const ext = extname(new URL(url).pathname).toLowerCase();
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (type === 'text/markdown' || ext === '.md' || ext === '.markdown') return 'markdown';
  if (type === 'text/plain' || ext === '.txt') return 'text';
  // Servers that send no type, or a generic one: look at the body.
  return /^\s*(?:<!doctype html|<html|<head|<body)/i.test(body) ? 'html' : 'text';
}

/** A page's text and how to read it (HTML, Markdown or plain text). */
export async function fetchPage(url: string, options: FetchOptions = {}): Promise<FetchedPage> {
  const resource = await fetchResource(url, options);
  const body = decode(resource);
  const type = resource.contentType.split(';')[0]!.trim().toLowerCase();
  if (/^(?:image|audio|video|font)\/|^application\/(?:pdf|zip|octet-stream)$/.test(type) && !/\.(?:html?|md|txt)$/i.test(url)) {
    throw new IntegrationError('invalid_request', `${url} is ${type}, not a text page`, { retryable: false });
  }
  return { url, kind: kindOf(url, resource.contentType, body), body };
}
