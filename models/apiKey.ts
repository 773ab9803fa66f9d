import { Schema, type Connection } from 'mongoose';

export const scopes = ['admin', 'conversations:read', 'conversations:write', 'knowledge:read', 'knowledge:write', 'customers:read', 'customers:write', 'ops'] as const;
export type Scope = (typeof scopes)[number];

/** An API key, stored as its SHA-256 only. `workspaceId` '*' is the instance admin key. */
export interface ApiKeyDoc {
  _id: string; // the hash
  workspaceId: string;
  scopes: Scope[];
  label: string;
  prefix: string;
  createdAt: Date;
}

export const apiKeySchema = new Schema<ApiKeyDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    scopes: { type: [String], default: [] },
    label: { type: String, default: '' },
    prefix: { type: String, default: '' },
    createdAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);
apiKeySchema.index({ workspaceId: 1 });

export const apiKeyModel = (conn: Connection) => conn.model<ApiKeyDoc>('ApiKey', apiKeySchema, 'api_keys');
