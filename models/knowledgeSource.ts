import { Schema, type Connection } from 'mongoose';

export const SOURCE_STATUSES = ['queued', 'running', 'done', 'failed', 'deleted'] as const;
export type SourceStatus = (typeof SOURCE_STATUSES)[number];
export const SOURCE_TYPES = ['files', 'url', 'sitemap'] as const;

/** Errors kept per source; the count of failures goes on in pagesFailed. */
export const MAX_SOURCE_ERRORS = 100;

export interface SourceError {
  url: string;
  message: string;
}

export interface KnowledgeSourceDoc {
  _id: string;
  workspaceId: string;
  type: (typeof SOURCE_TYPES)[number];
  url?: string;
  paths?: string[];
  status: SourceStatus;
  pagesTotal: number;
  pagesDone: number;
  pagesUnchanged: number;
  pagesFailed: number;
  chunks: number;
  errors: SourceError[];
  workflowId?: string;
  createdAt: Date;
  updatedAt: Date;
}

const sourceErrorSchema = new Schema<SourceError>({ url: { type: String, required: true }, message: { type: String, required: true } }, { _id: false });

export const knowledgeSourceSchema = new Schema<KnowledgeSourceDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true, index: true },
    type: { type: String, enum: SOURCE_TYPES, required: true },
    url: String,
    paths: { type: [String], default: undefined },
    status: { type: String, enum: SOURCE_STATUSES, default: 'queued' },
    pagesTotal: { type: Number, default: 0 },
    pagesDone: { type: Number, default: 0 },
    pagesUnchanged: { type: Number, default: 0 },
    pagesFailed: { type: Number, default: 0 },
    chunks: { type: Number, default: 0 },
    // `errors` is the name the API returns; mongoose reserves it on documents, so write it with update operators only.
    errors: { type: [sourceErrorSchema], default: [] },
    workflowId: String,
  },
  { versionKey: false, timestamps: true, suppressReservedKeysWarning: true },
);

export const knowledgeSourceModel = (conn: Connection) =>
  conn.model<KnowledgeSourceDoc>('KnowledgeSource', knowledgeSourceSchema, 'knowledge_sources');
