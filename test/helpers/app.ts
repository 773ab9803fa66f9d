// Boots a real Threadline (worker + API) against the stack `npm test` started, with its own task queue and workspace.
import { randomBytes } from 'node:crypto';
import { startIngestion } from '../../api/knowledge.ts';
import { ensureAdminKey, createWorkspace } from '../../api/workspaces.ts';
import { loadEnv, type Env } from '../../config/env.ts';
import { createLogger } from '../../config/logger.ts';
import { bootThreadline, type Threadline } from '../../scripts/runtime.ts';

export interface TestApp {
  app: Threadline;
  baseUrl: string;
  workspaceId: string;
  apiKey: string;
  widgetSecret: string;
  adminKey: string;
  taskQueue: string;
  env: Env;
  stop(): Promise<void>;
}

const ADMIN_KEY = 'tl_admin_test_key_0123456789';

export function requireStack(): void {
  if (!process.env.TEMPORAL_ADDRESS || !process.env.MONGODB_URI || !process.env.CHROMA_URL) {
    throw new Error('Run integration tests through `npm test` (it starts Temporal, FerretDB and Chroma), e.g. `npm test -- test/integration/widget.test.ts`.');
  }
}

export async function startTestApp(overrides: Record<string, string> = {}, opts: { worker?: boolean; taskQueue?: string } = {}): Promise<TestApp> {
  requireStack();
  const suffix = randomBytes(4).toString('hex');
  const taskQueue = opts.taskQueue ?? `test-${suffix}`;
  const env = loadEnv({ ...process.env, PORT: '0', SMTP_LISTEN_PORT: '0', THREADLINE_ADMIN_KEY: ADMIN_KEY, HELPDESK_TASK_QUEUE: `${taskQueue}-helpdesk`, ...overrides });
  const app = await bootThreadline({
    env,
    log: createLogger(env.LOG_LEVEL),
    taskQueue,
    worker: opts.worker ?? true,
    ...(env.TEMPORAL_UI_URL ? { temporalUiUrl: env.TEMPORAL_UI_URL } : {}),
  });
  await ensureAdminKey(app.services.models, ADMIN_KEY);
  const workspaceId = `ws-${suffix}`;
  const ws = await createWorkspace(app.services.models, workspaceId, `Test ${suffix}`);
  return { app, baseUrl: app.baseUrl, workspaceId, apiKey: ws.apiKey, widgetSecret: ws.widgetSecret, adminKey: ADMIN_KEY, taskQueue, env, stop: () => app.stop() };
}

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
}

/** A small JSON client for the tests. */
export async function http<T = Record<string, unknown>>(baseUrl: string, method: string, path: string, opts: { body?: unknown; token?: string; raw?: string; headers?: Record<string, string> } = {}): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed as T };
}

/** A test app whose 'demo' workspace holds the shipped demo help center, as `npm start` sets it up. */
export async function startDemoApp(): Promise<TestApp> {
  const t = await startTestApp();
  const { models, knowledge } = t.app.services;
  if (!(await models.Workspace.exists({ _id: 'demo' }))) await createWorkspace(models, 'demo', 'Cobalt Cycles (demo)');
  const { sourceId } = await startIngestion(t.app.services, { workspaceId: 'demo', source: { type: 'sitemap', url: `${t.baseUrl}/help/sitemap.xml` } }, t.taskQueue);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const s = await knowledge.KnowledgeSource.findById(sourceId).lean();
    if (s?.status === 'done') break;
    if (s?.status === 'failed' || Date.now() > deadline) throw new Error(`demo ingestion did not finish: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  return t;
}
