import { Schema, type Connection } from 'mongoose';

export interface WorkspaceDoc {
  _id: string;
  name: string;
  /** Signs widget identities (userHash / identityToken); needed in clear to verify them. */
  widgetSecret: string;
  createdAt: Date;
}

export const workspaceSchema = new Schema<WorkspaceDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    widgetSecret: { type: String, required: true },
    createdAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);

export const workspaceModel = (conn: Connection) => conn.model<WorkspaceDoc>('Workspace', workspaceSchema, 'workspaces');
