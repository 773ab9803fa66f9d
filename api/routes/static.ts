import { Router } from 'express';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildWidget } from '../widget/build.ts';

const indexPath = fileURLToPath(new URL('../public/index.html', import.meta.url));

export function staticRouter(opts: { temporalUiUrl?: string }): Router {
  const r = Router();
  r.get('/', async (_req, res) => {
    const html = (await readFile(indexPath, 'utf8')).replaceAll('{{TEMPORAL_UI_URL}}', opts.temporalUiUrl ?? 'http://127.0.0.1:8233');
    res.type('html').send(html);
  });
  r.get('/widget.js', async (_req, res) => {
    res.set('Access-Control-Allow-Origin', '*');
    res.set('Cache-Control', 'public, max-age=300');
    res.type('application/javascript').send(await buildWidget());
  });
  return r;
}
