// `npm start`: the servers, the worker and the API in one command, on embedded defaults.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startIngestion } from '../api/knowledge.ts';
import { createWorkspace, ensureAdminKey } from '../api/workspaces.ts';
import { loadEnv } from '../config/env.ts';
import { createLogger } from '../config/logger.ts';
import { startStack } from './stack/index.ts';
import { bootThreadline } from './runtime.ts';

const say = (s: string) => console.log(s);

const base = loadEnv();
const log = createLogger(base.LOG_LEVEL);
const stack = await startStack({ dataDir: base.DATA_DIR, ports: 'default', say });
let stopping = false;
const env = loadEnv({
  ...process.env,
  TEMPORAL_ADDRESS: stack.temporalAddress,
  MONGODB_URI: stack.mongoUri,
  CHROMA_URL: stack.chromaUrl,
  ...(stack.temporalUiUrl ? { TEMPORAL_UI_URL: stack.temporalUiUrl } : {}),
});

// Tools such as `npm run ingest` find the running servers here.
writeFileSync(join(base.DATA_DIR, 'stack.json'), JSON.stringify({ TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS, MONGODB_URI: env.MONGODB_URI, CHROMA_URL: env.CHROMA_URL }));

try {
  const app = await bootThreadline({ env, log, ...(stack.temporalUiUrl ? { temporalUiUrl: stack.temporalUiUrl } : {}) });
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal}: stopping Threadline …`);
    await app.stop().catch((e) => log.error(e));
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const { models } = app.services;
  const adminKey = await ensureAdminKey(models, env.THREADLINE_ADMIN_KEY);
  if (adminKey) say(`\nInstance admin key (shown once; keep it, or set THREADLINE_ADMIN_KEY): ${adminKey}`);
  if (env.DEMO_WORKSPACE && !(await models.Workspace.exists({ _id: 'demo' }))) {
    const demo = await createWorkspace(models, 'demo', 'Cobalt Cycles (demo)');
    say(`Demo workspace 'demo' created. Its API key (shown once): ${demo.apiKey}`);
    const { sourceId } = await startIngestion(app.services, { workspaceId: 'demo', source: { type: 'sitemap', url: `${app.baseUrl}/help/sitemap.xml` } });
    say(`Ingesting the demo help center (source ${sourceId}) …`);
  }
  say('');
  say(`Threadline is running.`);
  say(`  Demo page with the widget:  ${app.baseUrl}/`);
  if (stack.temporalUiUrl) say(`  Temporal Web UI:            ${stack.temporalUiUrl}/namespaces/${env.TEMPORAL_NAMESPACE}/workflows`);
  say(`  API health:                 ${app.baseUrl}/readyz`);
  say(`Press Ctrl-C to stop.`);
} catch (err) {
  console.error(err);
  await stack.stop();
  process.exit(1);
}
