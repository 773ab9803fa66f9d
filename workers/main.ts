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
  const done = worker.run().finally(() => connection.close());
  return {
    worker,
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
