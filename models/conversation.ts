import { Schema, type Connection } from 'mongoose';
import type { Channel, Mode } from '../workflows/conversation.messages.ts';

/** Read model of a conversation for listing; the workflow is the source of truth. */
export interface ConversationDoc {
  _id: string;
  workspaceId: string;
  customerId: string;
  mode: Mode;
  lastChannel: Channel;
  channels: Channel[];
  lastSeq: number;
  createdAt: Date;
  updatedAt: Date;
}

export const conversationSchema = new Schema<ConversationDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    customerId: { type: String, required: true },
    mode: { type: String, required: true },
    lastChannel: { type: String },
    channels: { type: [String], default: [] },
    lastSeq: { type: Number, default: 0 },
    createdAt: { type: Date },
    updatedAt: { type: Date },
  },
  { versionKey: false },
);
conversationSchema.index({ workspaceId: 1, updatedAt: -1 });
conversationSchema.index({ workspaceId: 1, customerId: 1 });

export const conversationModel = (conn: Connection) => conn.model<ConversationDoc>('Conversation', conversationSchema, 'conversations');
