// The worker: conversation and ingestion workflows and their activities on one task queue.
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode, type WorkflowBundleOption } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createActivities } from '../activities/index.ts';
import type { Services } from '../config/services.ts';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

let runtimeInstalled = false;
function installRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  runtimeInstalled = true;
}

/** Bundles the workflow code once, so several workers (tests, restarts) can reuse it. */
export async function buildWorkflowBundle(): Promise<{ code: string }> {
  installRuntime();
  return bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
}

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  stop(): Promise<void>;
}

export async function startWorker(services: Services, opts: { taskQueue?: string; bundle?: WorkflowBundleOption } = {}): Promise<RunningWorker> {
  installRuntime();
  const { env } = services;
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS! });
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  const bundle = opts.bundle ?? (bundlePath && existsSync(bundlePath) ? { codePath: bundlePath } : undefined);
  const worker = await Worker.create({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: opts.taskQueue ?? env.TEMPORAL_TASK_QUEUE,
    ...(bundle ? { workflowBundle: bundle } : { workflowsPath }),
    activities: createActivities(services),
  });
  // Help-desk calls get a queue per vendor, each capped server-side at the vendor's rate (no 429 storms).
  const rates = parseRates(env.HELPDESK_RATES);
  const helpdeskWorkers = await Promise.all(
    Object.keys(services.helpdesks).map((name) =>
      Worker.create({
        connection,
        namespace: env.TEMPORAL_NAMESPACE,
        taskQueue: `${env.HELPDESK_TASK_QUEUE}.${name}`,
        activities: createActivities(services),
        maxTaskQueueActivitiesPerSecond: rates[name] ?? 5,
      }),
    ),
  );
  const all = [worker, ...helpdeskWorkers];
  const done = Promise.all(all.map((w) => w.run())).then(
    () => connection.close(),
    async (err) => {
      await connection.close();
      throw err;
    },
  );
  return {
    worker,
    done,
    async stop() {
      for (const w of all) if (w.getState() === 'RUNNING') w.shutdown();
      await done;
    },
  };
}

/** `zendesk=10,hubspot=8` → { zendesk: 10, hubspot: 8 } */
export function parseRates(spec: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of spec.split(',')) {
    const [name, value] = part.split('=').map((x) => x.trim());
    const n = Number(value);
    if (name && Number.isFinite(n) && n > 0) out[name] = n;
  }
  return out;
}
