// Contracts between activities and the integrations they call.
// Workflows may import types from here (types only: no runtime code below but the error class).

export interface Citation {
  title: string;
  url: string;
}

/** A piece of a help-center page, as stored in the vector store. */
export interface KnowledgeChunk {
  id: string;
  sourceId: string;
  url: string;
  title: string;
  heading: string;
  text: string;
  pageHash: string;
}

export interface ScoredChunk extends KnowledgeChunk {
  /** Cosine similarity in [0, 1]; higher is closer. */
  score: number;
}

export interface Embedder {
  readonly name: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<number[][]>;
}

export interface VectorStore {
  upsert(workspaceId: string, chunks: KnowledgeChunk[], embeddings: number[][]): Promise<void>;
  query(workspaceId: string, embedding: number[], k: number): Promise<ScoredChunk[]>;
  deleteByUrl(workspaceId: string, url: string): Promise<void>;
  deleteBySource(workspaceId: string, sourceId: string): Promise<void>;
  ping(): Promise<void>;
}

export interface TurnContext {
  author: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
}

export interface Answer {
  text: string;
  citations: Citation[];
  /** 0..1: how well the retrieved content answers the question. */
  confidence: number;
  abstained: boolean;
}

export interface AnswerInput {
  question: string;
  chunks: ScoredChunk[];
  history: TurnContext[];
}

export interface AnswerProvider {
  readonly name: string;
  answer(input: AnswerInput): Promise<Answer>;
}

export type IntegrationErrorType =
  | 'rate_limited'
  | 'unavailable'
  | 'timeout'
  | 'invalid_request'
  | 'unauthorized'
  | 'not_found'
  | 'conflict'
  | 'unknown';

/** A typed failure from a vendor or server: activities map it to Temporal retry behaviour. */
export class IntegrationError extends Error {
  readonly type: IntegrationErrorType;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(
    type: IntegrationErrorType,
    message: string,
    opts: { status?: number; retryable?: boolean; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'IntegrationError';
    this.type = type;
    this.status = opts.status;
    this.retryable = opts.retryable ?? ['rate_limited', 'unavailable', 'timeout', 'unknown'].includes(type);
    this.retryAfterMs = opts.retryAfterMs;
  }
}
