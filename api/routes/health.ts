import { Router } from 'express';
import type { Services } from '../../config/services.ts';
import type { Metrics } from '../metrics.ts';

async function check(name: string, fn: () => Promise<unknown>): Promise<[string, string]> {
  try {
    await Promise.race([fn(), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 2000).unref())]);
    return [name, 'ok'];
  } catch (e) {
    return [name, `down: ${(e as Error).message}`];
  }
}

export function healthRouter(services: Services, metrics: Metrics): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const results = Object.fromEntries(
      await Promise.all([
        check('temporal', () => services.temporalConnection.workflowService.getSystemInfo({})),
        check('documentStore', () => services.conn.db!.admin().command({ ping: 1 })),
        check('vectorStore', () => services.vectorStore.ping()),
      ]),
    );
    const ready = Object.values(results).every((v) => v === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: results });
  });
  r.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return r;
}
