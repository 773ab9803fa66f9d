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
  /** The public base URL vendors call; Twilio signs the full URL, so behind a proxy this must be the outside one. */
  PUBLIC_BASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('data'),

  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('conversations'),
  /** Help-desk activities run on `<this>.<help desk>` queues, each capped at its vendor's rate. */
  HELPDESK_TASK_QUEUE: z.string().default('helpdesk-sync'),
  /** Activities per second per help desk, e.g. `zendesk=10,hubspot=8,salesforce=5,local=50`. */
  HELPDESK_RATES: z.string().default('zendesk=10,hubspot=8,salesforce=5,local=50'),
  /** A help-desk call longer than this counts as lost (its worker died) and is retried. */
  HELPDESK_ACTIVITY_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(60),
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
  /** Messages on SMS, WhatsApp, Messenger, Instagram and Slack within this window are answered once. */
  BURST_WINDOW_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  /** WhatsApp's customer-service window; after it, replies go as a template or on another channel. */
  WHATSAPP_WINDOW_SECONDS: z.coerce.number().int().min(1).default(86_400),
  // Vendor API base URLs: the same code runs against the vendor or a local emulator.
  TWILIO_API_URL: z.string().url().default('https://api.twilio.com'),
  GRAPH_API_URL: z.string().url().default('https://graph.facebook.com'),
  GRAPH_API_VERSION: z.string().default('v21.0'),
  SLACK_API_URL: z.string().url().default('https://slack.com/api/'),
  /** Outbound email relay. */
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(2526),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  /** The built-in inbound SMTP listener; 0 turns it off. */
  SMTP_LISTEN_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
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
