// `npm run stack`: only the servers, for running the worker or API by hand.
import { startStack } from './stack/index.ts';

const stack = await startStack({ dataDir: process.env.DATA_DIR ?? 'data', ports: 'default' });
console.log(`TEMPORAL_ADDRESS=${stack.temporalAddress}\nMONGODB_URI=${stack.mongoUri}\nCHROMA_URL=${stack.chromaUrl}`);
if (stack.temporalUiUrl) console.log(`Temporal Web UI: ${stack.temporalUiUrl}`);
const shutdown = () => void stack.stop().then(() => process.exit(0));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
