import { Schema, type Connection } from 'mongoose';
import type { IdentifierKind } from './customer.ts';

/**
 * The owner of a verified identifier. The _id is `<workspace>|<kind>|<normalized value>`, so "a verified identifier
 * belongs to at most one customer per workspace" holds by the primary key alone: FerretDB matches neither $elemMatch
 * on sub-documents nor partial indexes reliably, and an _id conflict is the one uniqueness every store enforces.
 */
export interface IdentifierOwnerDoc {
  _id: string;
  workspaceId: string;
  kind: IdentifierKind;
  value: string;
  customerId: string;
  source: string;
  firstSeen: Date;
  lastSeen: Date;
}

export const identifierOwnerSchema = new Schema<IdentifierOwnerDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    kind: { type: String, required: true },
    value: { type: String, required: true },
    customerId: { type: String, required: true },
    source: { type: String, required: true },
    firstSeen: { type: Date, required: true },
    lastSeen: { type: Date, required: true },
  },
  { versionKey: false },
);
identifierOwnerSchema.index({ customerId: 1 });

export const identifierKey = (workspaceId: string, kind: IdentifierKind, value: string) => `${workspaceId}|${kind}|${value}`;

export const identifierOwnerModel = (conn: Connection) => conn.model<IdentifierOwnerDoc>('IdentifierOwner', identifierOwnerSchema, 'identifiers');
