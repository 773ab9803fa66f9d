// Boots Threadline in one process: services, the worker and the HTTP API. Used by `npm start`, tests and benchmarks.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkflowBundleOption } from '@temporalio/worker';
import { createApp } from '../api/app.ts';
import { receiveMail } from '../api/emailInbound.ts';
import { startSmtpListener, type SmtpListener } from '../integrations/channels/email/smtp.ts';
import type { Env } from '../config/env.ts';
import type { Logger } from '../config/logger.ts';
import { connectServices, type Services } from '../config/services.ts';
import { startWorker, type RunningWorker } from '../workers/main.ts';

export interface Threadline {
  services: Services;
  worker: RunningWorker | undefined;
  server: Server;
  baseUrl: string;
  /** The inbound SMTP listener's port, when it runs. */
  smtpPort: number | undefined;
  stop(): Promise<void>;
}

export interface BootOptions {
  env: Env;
  log: Logger;
  temporalUiUrl?: string;
  taskQueue?: string;
  bundle?: WorkflowBundleOption;
  /** false for an API-only process (the worker runs elsewhere). */
  worker?: boolean;
}

export async function bootThreadline(opts: BootOptions): Promise<Threadline> {
  const services = await connectServices(opts.env, opts.log);
  const taskQueue = opts.taskQueue ?? opts.env.TEMPORAL_TASK_QUEUE;
  const worker = opts.worker === false ? undefined : await startWorker(services, { taskQueue, ...(opts.bundle ? { bundle: opts.bundle } : {}) });
  const app = createApp(services, { taskQueue, ...(opts.temporalUiUrl ? { temporalUiUrl: opts.temporalUiUrl } : {}) });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(opts.env.PORT, opts.env.HOST, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${opts.env.HOST}:${port}`;
  let smtp: SmtpListener | undefined;
  if (opts.env.SMTP_LISTEN_PORT > 0 && opts.worker !== false) {
    try {
      smtp = await startSmtpListener({ host: opts.env.HOST, port: opts.env.SMTP_LISTEN_PORT, onMessage: (raw) => receiveMail(services, raw, taskQueue) });
    } catch (err) {
      opts.log.warn({ err, port: opts.env.SMTP_LISTEN_PORT }, 'inbound SMTP listener not started');
    }
  }
  return {
    services,
    worker,
    server,
    baseUrl,
    smtpPort: smtp?.port,
    async stop() {
      await smtp?.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await worker?.stop();
      await services.close();
    },
  };
}
