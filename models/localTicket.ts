import { Schema, type Connection } from 'mongoose';

/** A ticket of the built-in inbox: the embedded default help desk. */
export interface LocalCommentDoc {
  commentId: string;
  body: string;
  public: boolean;
  author: 'customer' | 'agent' | 'system';
  authorName?: string;
  at: Date;
}

export interface LocalTicketDoc {
  _id: string; // ticket id
  workspaceId: string;
  externalId: string;
  subject: string;
  requester: { customerId: string; name?: string; email?: string; phone?: string };
  channel: string;
  status: 'new' | 'open' | 'pending' | 'solved' | 'closed';
  priority: 'low' | 'normal' | 'high' | 'urgent';
  summary: string;
  transcript: string;
  comments: LocalCommentDoc[];
  createdAt: Date;
  updatedAt: Date;
}

const comment = new Schema<LocalCommentDoc>({ commentId: String, body: String, public: Boolean, author: String, authorName: String, at: Date }, { _id: false });

export const localTicketSchema = new Schema<LocalTicketDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    externalId: { type: String, required: true },
    subject: { type: String, required: true },
    requester: { type: Schema.Types.Mixed, required: true },
    channel: { type: String, required: true },
    status: { type: String, required: true },
    priority: { type: String, required: true },
    summary: { type: String, default: '' },
    transcript: { type: String, default: '' },
    comments: { type: [comment], default: [] },
    createdAt: { type: Date, default: () => new Date() },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);
localTicketSchema.index({ workspaceId: 1, updatedAt: -1 });
localTicketSchema.index({ externalId: 1 }, { unique: true });

export const localTicketModel = (conn: Connection) => conn.model<LocalTicketDoc>('LocalTicket', localTicketSchema, 'local_tickets');
