import { Schema, type Connection } from 'mongoose';

/** A widget visitor's session; the bearer token is stored as its SHA-256 only. */
export interface WidgetSessionDoc {
  _id: string;
  workspaceId: string;
  customerId: string;
  tokenHash: string;
  verified: boolean;
  createdAt: Date;
  lastSeenAt: Date;
}

export const widgetSessionSchema = new Schema<WidgetSessionDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    customerId: { type: String, required: true },
    tokenHash: { type: String, required: true },
    verified: { type: Boolean, default: false },
    createdAt: { type: Date, default: () => new Date() },
    lastSeenAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);
widgetSessionSchema.index({ tokenHash: 1 }, { unique: true });

export const widgetSessionModel = (conn: Connection) => conn.model<WidgetSessionDoc>('WidgetSession', widgetSessionSchema, 'widget_sessions');
