import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { discover } from '../../integrations/knowledge/discover.ts';
import { fetchPage } from '../../integrations/knowledge/fetch.ts';
import { IntegrationError } from '../../integrations/types.ts';

let server: Server;
let base = '';
let robots: string | undefined;
const seenAgents = new Set<string>();

const urlset = (paths: string[]) =>
  `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${paths.map((p) => `<url><loc>${p.startsWith('http') ? p : base + p}</loc></url>`).join('')}</urlset>`;

before(async () => {
  server = createServer((req, res) => {
    seenAgents.add(String(req.headers['user-agent']));
    const path = req.url ?? '/';
    const send = (status: number, body: string | Buffer, type = 'text/html') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (path === '/robots.txt') return robots === undefined ? send(404, 'none') : send(200, robots, 'text/plain');
    if (path === '/sitemap.xml') {
      return send(200, `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${base}/help.xml</loc></sitemap><sitemap><loc>${base}/more.xml.gz</loc></sitemap></sitemapindex>`, 'application/xml');
    }
    if (path === '/help.xml') return send(200, urlset(['/help/a.html', '/help/b.html', '/private/secret.html', 'http://elsewhere.example/x.html']), 'application/xml');
    if (path === '/more.xml.gz') return send(200, gzipSync(urlset(['/help/c.html', '/help/a.html'])), 'application/gzip');
    if (path === '/help/a.html') return send(200, '<html><head><title>A</title></head><body><main><p>Alpha.</p></main></body></html>');
    if (path === '/broken') return send(503, 'down');
    if (path === '/big') return send(200, 'x'.repeat(2048), 'text/plain');
    return send(404, 'missing');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

after(() => server.close());

test('a sitemap index is followed (gzip too), off-origin and disallowed pages are left out', async () => {
  robots = 'User-agent: *\nDisallow: /private/\n\nUser-agent: ThreadlineBot\nDisallow: /private/\nDisallow: /help/b.html\n';
  const urls = await discover({ type: 'sitemap', url: `${base}/sitemap.xml` });
  assert.deepEqual(urls.sort(), [`${base}/help/a.html`, `${base}/help/c.html`]);
  assert.ok(seenAgents.has('ThreadlineBot'));
});

test('no robots.txt means everything in the sitemap is allowed', async () => {
  robots = undefined;
  const urls = await discover({ type: 'sitemap', url: `${base}/help.xml` });
  assert.deepEqual(urls.sort(), [`${base}/help/a.html`, `${base}/help/b.html`, `${base}/private/secret.html`]);
});

test('a single url is refused when robots.txt disallows it', async () => {
  robots = 'User-agent: ThreadlineBot\nDisallow: /help/\n';
  await assert.rejects(discover({ type: 'url', url: `${base}/help/a.html` }), (err: unknown) => err instanceof IntegrationError && !err.retryable);
  robots = undefined;
  assert.deepEqual(await discover({ type: 'url', url: `${base}/help/a.html` }), [`${base}/help/a.html`]);
});

test('files: folders are walked for pages, hidden folders skipped, urls are file://', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-discover-'));
  try {
    mkdirSync(join(dir, 'guides', 'deep'), { recursive: true });
    mkdirSync(join(dir, '.git'));
    for (const f of ['index.html', 'guides/a.md', 'guides/deep/b.txt', 'guides/c.htm', 'logo.png', '.git/config.txt']) writeFileSync(join(dir, f), 'x');
    const urls = await discover({ type: 'files', paths: [dir] });
    assert.deepEqual(urls.map((u) => u.slice(`file://${dir}`.length)).sort(), ['/guides/a.md', '/guides/c.htm', '/guides/deep/b.txt', '/index.html']);
    await assert.rejects(discover({ type: 'files', paths: [join(dir, 'nope')] }), (err: unknown) => err instanceof IntegrationError && err.type === 'not_found');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fetch: 4xx is final, 5xx is retried, size and scheme are limited', async () => {
  const page = await fetchPage(`${base}/help/a.html`);
  assert.equal(page.kind, 'html');
  assert.match(page.body, /Alpha/);
  const failure = (check: (e: IntegrationError) => boolean) => (err: unknown) => err instanceof IntegrationError && check(err);
  await assert.rejects(fetchPage(`${base}/gone`), failure((e) => e.status === 404 && !e.retryable));
  await assert.rejects(fetchPage(`${base}/broken`), failure((e) => e.status === 503 && e.retryable));
  await assert.rejects(fetchPage(`${base}/big`, { maxBytes: 1024 }), failure((e) => !e.retryable));
  await assert.rejects(fetchPage('ftp://example.com/a.html'), failure((e) => e.type === 'invalid_request'));
  await assert.rejects(fetchPage('http://127.0.0.1:9/x', { timeoutMs: 2000 }), failure((e) => e.retryable));
});
