import { Schema, type Connection } from 'mongoose';

/** Links a help-desk ticket to its conversation, so the vendor's webhooks find the workflow to signal. */
export interface TicketLinkDoc {
  _id: string; // `<helpdesk>|<workspace>|<vendor ticket id>`
  workspaceId: string;
  helpdesk: string;
  ticketId: string;
  externalId: string;
  conversationId: string;
  customerId: string;
  url?: string;
  createdAt: Date;
}

export const ticketLinkSchema = new Schema<TicketLinkDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    helpdesk: { type: String, required: true },
    ticketId: { type: String, required: true },
    externalId: { type: String, required: true },
    conversationId: { type: String, required: true },
    customerId: { type: String, required: true },
    url: { type: String },
    createdAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);
ticketLinkSchema.index({ externalId: 1 });
ticketLinkSchema.index({ conversationId: 1 });

/** Ticket ids are unique within one help-desk account, so the workspace is part of the key. */
export const ticketLinkKey = (helpdesk: string, workspaceId: string, ticketId: string) => `${helpdesk}|${workspaceId}|${ticketId}`;
export const ticketLinkModel = (conn: Connection) => conn.model<TicketLinkDoc>('TicketLink', ticketLinkSchema, 'ticket_links');
