import { Schema, type Connection } from 'mongoose';

export interface WorkspaceDoc {
  _id: string;
  name: string;
  /** Signs widget identities (userHash / identityToken); needed in clear to verify them. */
  widgetSecret: string;
  /** Validated by config/workspaceSettings.ts when read. */
  settings?: Record<string, unknown>;
  createdAt: Date;
}

export const workspaceSchema = new Schema<WorkspaceDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    widgetSecret: { type: String, required: true },
    settings: { type: Schema.Types.Mixed, default: {} },
    createdAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false, minimize: false },
);

export const workspaceModel = (conn: Connection) => conn.model<WorkspaceDoc>('Workspace', workspaceSchema, 'workspaces');
