import { Schema, type Connection } from 'mongoose';
import type { ChannelName } from '../integrations/channels/types.ts';

/**
 * A channel connected to a workspace: its vendor account (routing key) and credentials. The _id is
 * `<channel>|<routing key>`, so one vendor account (a Twilio number, a page, a Slack team) feeds one workspace.
 */
export interface ChannelConfigDoc {
  _id: string;
  workspaceId: string;
  channel: ChannelName;
  routingKey: string;
  credentials: Record<string, string>;
  settings: Record<string, unknown>;
  updatedAt: Date;
}

export const channelConfigSchema = new Schema<ChannelConfigDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    channel: { type: String, required: true },
    routingKey: { type: String, required: true },
    credentials: { type: Schema.Types.Mixed, default: {} },
    settings: { type: Schema.Types.Mixed, default: {} },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false, minimize: false },
);
channelConfigSchema.index({ workspaceId: 1, channel: 1 });

export const channelConfigKey = (channel: ChannelName, routingKey: string) => `${channel}|${routingKey.toLowerCase()}`;

export const channelConfigModel = (conn: Connection) => conn.model<ChannelConfigDoc>('ChannelConfig', channelConfigSchema, 'channel_configs');
