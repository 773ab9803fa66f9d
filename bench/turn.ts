// `npm run bench:turn`: p50/p95 of a widget turn (HTTP in, workflow, retrieval, offline answer, history write, reply out)
// against a bare update-with-start echo workflow on the same Temporal server, in one run.
import { WithStartWorkflowOperation } from '@temporalio/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startIngestion } from '../api/knowledge.ts';
import { demoContentDir } from '../api/routes/static.ts';
import { createWorkspace } from '../api/workspaces.ts';
import { loadEnv } from '../config/env.ts';
import { createLogger } from '../config/logger.ts';
import { bootThreadline } from '../scripts/runtime.ts';
import { startStack } from '../scripts/stack/index.ts';
import { echoUpdate, echoWorkflow } from './echo.workflow.ts';
import { ms, summarize } from './stats.ts';

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 20);
const TURNS = Number(process.env.BENCH_TURNS ?? 10);
const WARMUP = 10;
const questions = ['How long does shipping take?', 'Can I return a bike?', 'What does the warranty cover?', 'Where is your store?', 'Do you take PayPal?'];

const dataDir = mkdtempSync(join(tmpdir(), 'threadline-bench-'));
const stack = await startStack({ dataDir, ports: 'free', say: (s) => console.error(s) });
const taskQueue = 'bench';
try {
  const env = loadEnv({ ...process.env, PORT: '0', LOG_LEVEL: 'warn', TEMPORAL_ADDRESS: stack.temporalAddress, MONGODB_URI: stack.mongoUri, CHROMA_URL: stack.chromaUrl, OPENAI_API_KEY: '', EMBEDDINGS: 'local' });
  const app = await bootThreadline({
    env,
    log: createLogger('warn'),
    taskQueue,
  });
  // The bench worker also needs the echo workflow: a second worker on its own queue with the bench bundle.
  const { startWorker } = await import('../workers/main.ts');
  const { bundleWorkflowCode } = await import('@temporalio/worker');
  const echoBundle = await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)) });
  const echoWorker = await startWorker(app.services, { taskQueue: 'bench-echo', bundle: echoBundle });
  try {
    const { models } = app.services;
    await createWorkspace(models, 'bench', 'Bench');
    const { sourceId } = await startIngestion(app.services, { workspaceId: 'bench', source: { type: 'files', paths: [demoContentDir] } }, taskQueue);
    for (;;) {
      const s = await app.services.knowledge.KnowledgeSource.findById(sourceId).lean();
      if (s?.status === 'done') break;
      if (s?.status === 'failed') throw new Error('ingestion failed');
      await new Promise((r) => setTimeout(r, 200));
    }

    const post = async (path: string, body: unknown, token?: string) => {
      const res = await fetch(`${app.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };

    const turn: number[] = [];
    const echo: number[] = [];
    let n = 0;
    for (let c = 0; c < CONVERSATIONS; c++) {
      const session = (await post('/v1/widget/sessions', { workspace: 'bench' })) as { token: string };
      const wfId = `echo:${c}:${Date.now()}`;
      for (let i = 0; i < TURNS; i++) {
        // Interleave the two so both see the same server load.
        let t0 = performance.now();
        const r = await post('/v1/widget/messages', { text: questions[(c + i) % questions.length], clientMessageId: `b${i}` }, session.token);
        const turnMs = performance.now() - t0;
        if (!r.reply) throw new Error('no reply');
        t0 = performance.now();
        await app.services.temporal.workflow.executeUpdateWithStart(echoUpdate, {
          args: ['hello'],
          updateId: `e${i}`,
          startWorkflowOperation: new WithStartWorkflowOperation(echoWorkflow, { workflowId: wfId, taskQueue: 'bench-echo', workflowIdConflictPolicy: 'USE_EXISTING' }),
        });
        const echoMs = performance.now() - t0;
        if (n++ >= WARMUP) {
          turn.push(turnMs);
          echo.push(echoMs);
        }
      }
    }
    const t = summarize(turn);
    const e = summarize(echo);
    console.log(`bench:turn — ${t.n} turns in ${CONVERSATIONS} conversations (offline answerer, local embeddings, local Temporal dev server)`);
    console.log(`  widget turn (HTTP, workflow, retrieval, answer, history): p50 ${ms(t.p50)}  p95 ${ms(t.p95)}  mean ${ms(t.mean)}`);
    console.log(`  echo update-with-start (Temporal client, same server):      p50 ${ms(e.p50)}  p95 ${ms(e.p95)}  mean ${ms(e.mean)}`);
    console.log(`  ratio turn/echo: p50 ${(t.p50 / e.p50).toFixed(2)}×  p95 ${(t.p95 / e.p95).toFixed(2)}×  (target: p50 ≤ 2×)`);
  } finally {
    await echoWorker.stop();
    await app.stop();
  }
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
