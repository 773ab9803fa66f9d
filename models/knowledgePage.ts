import { Schema, type Connection } from 'mongoose';

export interface KnowledgePageDoc {
  workspaceId: string;
  sourceId: string;
  url: string;
  title: string;
  /** sha256 of the extracted text: an equal hash means the stored chunks are still right. */
  hash: string;
  /** Embedder and chunker the chunks were made with; a change re-indexes even an unchanged page. */
  indexVersion: string;
  chunkCount: number;
  updatedAt: Date;
}

export const knowledgePageSchema = new Schema<KnowledgePageDoc>(
  {
    workspaceId: { type: String, required: true },
    sourceId: { type: String, required: true },
    url: { type: String, required: true },
    title: { type: String, default: '' },
    hash: { type: String, required: true },
    indexVersion: { type: String, default: '' },
    chunkCount: { type: Number, default: 0 },
  },
  { versionKey: false, timestamps: { createdAt: false, updatedAt: true } },
);
knowledgePageSchema.index({ workspaceId: 1, url: 1 }, { unique: true });
knowledgePageSchema.index({ workspaceId: 1, sourceId: 1 });

export const knowledgePageModel = (conn: Connection) =>
  conn.model<KnowledgePageDoc>('KnowledgePage', knowledgePageSchema, 'knowledge_pages');
