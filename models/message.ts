import { Schema, type Connection } from 'mongoose';
import type { Author, Channel } from '../workflows/conversation.messages.ts';
import type { Citation } from '../integrations/types.ts';

/** One message of the shared history, from any channel and any author. */
export interface MessageDoc {
  conversationId: string;
  messageId: string;
  workspaceId: string;
  customerId: string;
  seq: number;
  author: Author;
  channel: Channel;
  text: string;
  citations: Citation[];
  at: Date;
  meta?: Record<string, unknown>;
}

const citation = new Schema<Citation>({ title: String, url: String }, { _id: false });

export const messageSchema = new Schema<MessageDoc>(
  {
    conversationId: { type: String, required: true },
    messageId: { type: String, required: true },
    workspaceId: { type: String, required: true },
    customerId: { type: String, required: true },
    seq: { type: Number, required: true },
    author: { type: String, required: true, enum: ['customer', 'bot', 'agent', 'system'] },
    channel: { type: String, required: true },
    text: { type: String, default: '' },
    citations: { type: [citation], default: [] },
    at: { type: Date, required: true },
    meta: { type: Schema.Types.Mixed },
  },
  { versionKey: false },
);
messageSchema.index({ conversationId: 1, messageId: 1 }, { unique: true });
messageSchema.index({ conversationId: 1, seq: 1 });
messageSchema.index({ workspaceId: 1, customerId: 1, seq: 1 });

export const messageModel = (conn: Connection) => conn.model<MessageDoc>('Message', messageSchema, 'messages');
