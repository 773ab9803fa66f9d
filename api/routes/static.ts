import express, { Router } from 'express';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildWidget } from '../widget/build.ts';

const indexPath = fileURLToPath(new URL('../public/index.html', import.meta.url));
const inboxPath = fileURLToPath(new URL('../public/inbox.html', import.meta.url));
/** The demo business's help center, served as a real site so its answers cite pages a visitor can open. */
export const demoContentDir = fileURLToPath(new URL('../../demo-content', import.meta.url));

function sitemap(base: string): string {
  const pages = readdirSync(demoContentDir).filter((f) => f.endsWith('.html')).sort();
  const urls = pages.map((p) => `  <url><loc>${base}/help/${p}</loc></url>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls}\n</urlset>\n`;
}

export function staticRouter(opts: { temporalUiUrl?: string }): Router {
  const r = Router();
  r.get('/', async (_req, res) => {
    const html = (await readFile(indexPath, 'utf8')).replaceAll('{{TEMPORAL_UI_URL}}', opts.temporalUiUrl ?? 'http://127.0.0.1:8233');
    res.type('html').send(html);
  });
  r.get('/inbox', (_req, res) => {
    res.sendFile(inboxPath);
  });
  r.get('/widget.js', async (_req, res) => {
    res.set('Access-Control-Allow-Origin', '*');
    res.set('Cache-Control', 'public, max-age=300');
    res.type('application/javascript').send(await buildWidget());
  });
  r.get('/help/sitemap.xml', (req, res) => {
    res.type('application/xml').send(sitemap(`${req.protocol}://${req.get('host')}`));
  });
  r.use('/help', express.static(demoContentDir, { extensions: ['html'], index: false }));
  return r;
}
