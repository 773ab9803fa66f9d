// Entry point of a worker process (docker-compose, scale-out, tests that kill a worker).
import { loadEnv } from '../config/env.ts';
import { createLogger } from '../config/logger.ts';
import { connectServices } from '../config/services.ts';
import { startWorker } from './main.ts';

const env = loadEnv();
const log = createLogger(env.LOG_LEVEL, 'threadline-worker');
const services = await connectServices(env, log);
const running = await startWorker(services);
log.info({ taskQueue: env.TEMPORAL_TASK_QUEUE }, 'worker running');
console.log('worker ready');
const stop = () => void running.stop().then(() => services.close()).then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
await running.done;
