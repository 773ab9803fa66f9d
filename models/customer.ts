import { Schema, type Connection } from 'mongoose';

export const identifierKinds = ['email', 'phone', 'widget_user', 'widget_session', 'slack_user', 'whatsapp', 'messenger', 'instagram'] as const;
export type IdentifierKind = (typeof identifierKinds)[number];

export interface Identifier {
  kind: IdentifierKind;
  value: string;
  verified: boolean;
  source: string;
  firstSeen: Date;
  lastSeen: Date;
}

export interface CustomerDoc {
  _id: string;
  workspaceId: string;
  name?: string;
  identifiers: Identifier[];
  mergedInto?: string;
  mergedIds: string[];
  createdAt: Date;
}

const identifier = new Schema<Identifier>(
  { kind: String, value: String, verified: Boolean, source: String, firstSeen: Date, lastSeen: Date },
  { _id: false },
);

export const customerSchema = new Schema<CustomerDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    name: { type: String },
    identifiers: { type: [identifier], default: [] },
    mergedInto: { type: String },
    mergedIds: { type: [String], default: [] },
    createdAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);
customerSchema.index({ workspaceId: 1 });

export const customerModel = (conn: Connection) => conn.model<CustomerDoc>('Customer', customerSchema, 'customers');
