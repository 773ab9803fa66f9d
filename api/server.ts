// Entry point of an API-only process (docker-compose runs the worker separately).
import { loadEnv } from '../config/env.ts';
import { createLogger } from '../config/logger.ts';
import { bootThreadline } from '../scripts/runtime.ts';

const env = loadEnv();
const log = createLogger(env.LOG_LEVEL, 'threadline-api');
const app = await bootThreadline({ env, log, worker: false, ...(env.TEMPORAL_UI_URL ? { temporalUiUrl: env.TEMPORAL_UI_URL } : {}) });
log.info({ url: app.baseUrl }, 'API listening');
const stop = () => void app.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
