import { Schema, type Connection } from 'mongoose';

export const deliveryStatuses = ['pending', 'sent', 'delivered', 'read', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/**
 * One outbound delivery of one message on one channel, written before the vendor is called. A retried delivery
 * that finds it sent does not send again; vendor status callbacks update it by vendor message id.
 */
export interface OutboxDoc {
  _id: string; // `<message id>|<channel>`
  workspaceId: string;
  conversationId: string;
  messageId: string;
  channel: string;
  to: Record<string, string>;
  status: DeliveryStatus;
  vendorMessageId?: string;
  attempts: number;
  error?: string;
  /** How it went out when not as a plain reply (a WhatsApp template, an email fallback). */
  via?: string;
  createdAt: Date;
  updatedAt: Date;
}

export const outboxSchema = new Schema<OutboxDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    conversationId: { type: String, required: true },
    messageId: { type: String, required: true },
    channel: { type: String, required: true },
    to: { type: Schema.Types.Mixed, default: {} },
    status: { type: String, required: true },
    vendorMessageId: { type: String },
    attempts: { type: Number, default: 0 },
    error: { type: String },
    via: { type: String },
    createdAt: { type: Date, default: () => new Date() },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false, minimize: false },
);
outboxSchema.index({ vendorMessageId: 1 });
outboxSchema.index({ conversationId: 1 });

export const outboxKey = (messageId: string, channel: string) => `${messageId}|${channel}`;
export const outboxModel = (conn: Connection) => conn.model<OutboxDoc>('Outbox', outboxSchema, 'outbox');
