import { Schema, type Connection } from 'mongoose';

/** The help desk a workspace hands off to; `_id` is `<helpdesk>|<routing key>` so one vendor account feeds one workspace. */
export interface HelpdeskConfigDoc {
  _id: string;
  workspaceId: string;
  helpdesk: 'local' | 'zendesk' | 'hubspot' | 'salesforce';
  routingKey: string;
  baseUrl?: string;
  credentials: Record<string, string>;
  settings: Record<string, unknown>;
  updatedAt: Date;
}

export const helpdeskConfigSchema = new Schema<HelpdeskConfigDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    helpdesk: { type: String, required: true },
    routingKey: { type: String, required: true },
    baseUrl: { type: String },
    credentials: { type: Schema.Types.Mixed, default: {} },
    settings: { type: Schema.Types.Mixed, default: {} },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false, minimize: false },
);
helpdeskConfigSchema.index({ workspaceId: 1 });

export const helpdeskConfigKey = (helpdesk: string, routingKey: string) => `${helpdesk}|${routingKey.toLowerCase()}`;
export const helpdeskConfigModel = (conn: Connection) => conn.model<HelpdeskConfigDoc>('HelpdeskConfig', helpdeskConfigSchema, 'helpdesk_configs');
