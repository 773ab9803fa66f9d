import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every setting Threadline reads from the environment, parsed once at boot. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_BASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('data'),

  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('conversations'),
  TEMPORAL_UI_URL: z.string().url().optional(),
  TEMPORAL_CLI_PATH: z.string().optional(),
  FERRETDB_PATH: z.string().optional(),
  MONGODB_URI: z.string().optional(),
  CHROMA_URL: z.string().url().optional(),

  THREADLINE_ADMIN_KEY: z.string().min(16).optional(),

  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  OPENAI_EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  EMBEDDINGS: z.enum(['auto', 'local', 'openai']).default('auto'),

  ANSWER_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.35),
  RETRIEVAL_K: z.coerce.number().int().min(1).max(50).default(5),
  CONTINUE_AS_NEW_EVENTS: z.coerce.number().int().min(100).default(10_000),
  RECENT_MESSAGE_IDS: z.coerce.number().int().min(10).default(500),
  /** Folders a `files` knowledge source may read, comma-separated; empty means the API refuses `files` sources. */
  KNOWLEDGE_FILE_ROOTS: z.string().default(''),
  BODY_LIMIT: z.string().default('256kb'),
  DEMO_WORKSPACE: bool.default(true),
});

export type Env = z.infer<typeof envSchema>;

/** Parses the environment; on failure names every bad variable and throws. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
