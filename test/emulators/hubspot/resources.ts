// HubSpot CRM v3 shapes: the object resource (id, properties, createdAt, updatedAt, archived) and the error body
// every 4xx/5xx carries ({status: "error", message, correlationId, category}).
import { randomUUID } from 'node:crypto';

export type ObjectType = 'contacts' | 'tickets' | 'notes';

export interface HubSpotObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
}

export interface HubSpotAssociation {
  fromType: ObjectType;
  fromId: string;
  toType: ObjectType;
  toId: string;
  typeId: number;
}

/** The properties HubSpot sets itself and returns on every read. */
const SYSTEM = ['hs_object_id', 'createdate', 'hs_lastmodifieddate'];

export function objectResource(o: HubSpotObject, requested?: string[]): Record<string, unknown> {
  const names = requested?.length ? [...new Set([...requested, ...SYSTEM])] : Object.keys(o.properties);
  const properties = Object.fromEntries(names.map((n) => [n, o.properties[n] ?? null]));
  return { id: o.id, properties, createdAt: o.createdAt, updatedAt: o.updatedAt, archived: false };
}

export function hubspotError(category: string, message: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

/** Property validation failures: HubSpot nests a JSON list of the bad properties inside the message. */
export function propertyErrors(errors: { name: string; error: string; message: string }[]): Record<string, unknown> {
  const list = errors.map((e) => ({ isValid: false, message: e.message, error: e.error, name: e.name }));
  return hubspotError('VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(list)}`);
}

export const unauthenticated = hubspotError(
  'INVALID_AUTHENTICATION',
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
);

export const objectNotFound = (id: string) => hubspotError('OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', { context: { id: [id] } });
