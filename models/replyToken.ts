import { Schema, type Connection } from 'mongoose';

/** The token in `reply+<token>@domain`: an email reply that carries it belongs to this conversation. */
export interface ReplyTokenDoc {
  _id: string; // the token
  workspaceId: string;
  conversationId: string;
  customerId: string;
  createdAt: Date;
}

export const replyTokenSchema = new Schema<ReplyTokenDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    conversationId: { type: String, required: true },
    customerId: { type: String, required: true },
    createdAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);
replyTokenSchema.index({ conversationId: 1 });

export const replyTokenModel = (conn: Connection) => conn.model<ReplyTokenDoc>('ReplyToken', replyTokenSchema, 'reply_tokens');
