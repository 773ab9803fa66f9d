// Serves ../shared/fixtures/demo-site over HTTP on 127.0.0.1:8089, the origin its sitemap names.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

export const fixtureDir = resolve(process.cwd(), '..', 'shared', 'fixtures', 'demo-site');
const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.xml': 'application/xml', '.json': 'application/json', '.txt': 'text/plain' };

export async function serveFixtureSite(port = 8089): Promise<{ origin: string; sitemapUrl: string; close(): Promise<void> }> {
  if (!existsSync(fixtureDir)) throw new Error(`fixture not found at ${fixtureDir} (shared/ must sit beside the project)`);
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(fixtureDir, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(fixtureDir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok());
  });
  return {
    origin: `http://localhost:${port}`,
    sitemapUrl: `http://localhost:${port}/sitemap.xml`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
