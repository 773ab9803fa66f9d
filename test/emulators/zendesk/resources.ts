// Zendesk Support's JSON shapes: users, tickets, comments, audits and the error bodies (Zendesk API reference,
// "Users", "Tickets", "Ticket Audits" and "Introduction › Response format").

export interface ZendeskUser {
  id: number;
  external_id: string | null;
  name: string;
  email: string | null;
  phone: string | null;
  role: 'end-user' | 'agent' | 'admin';
  created_at: string;
  updated_at: string;
}

export interface ZendeskTicket {
  id: number;
  external_id: string | null;
  subject: string;
  description: string;
  requester_id: number;
  submitter_id: number;
  status: string;
  priority: string | null;
  tags: string[];
  created_at: string;
  updated_at: string;
}

export interface ZendeskComment {
  id: number;
  ticket_id: number;
  author_id: number;
  body: string;
  public: boolean;
  created_at: string;
}

/** Zendesk writes ISO 8601 times to the second. */
export const zendeskTime = (d = new Date()): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function userResource(origin: string, u: ZendeskUser): Record<string, unknown> {
  return { ...u, url: `${origin}/api/v2/users/${u.id}.json`, active: true, verified: false, time_zone: 'UTC', locale: 'en-US' };
}

export function ticketResource(origin: string, t: ZendeskTicket): Record<string, unknown> {
  return {
    url: `${origin}/api/v2/tickets/${t.id}.json`,
    id: t.id,
    external_id: t.external_id,
    via: { channel: 'api', source: { from: {}, to: {}, rel: null } },
    type: null,
    subject: t.subject,
    raw_subject: t.subject,
    description: t.description,
    priority: t.priority,
    status: t.status,
    requester_id: t.requester_id,
    submitter_id: t.submitter_id,
    assignee_id: null,
    organization_id: null,
    group_id: null,
    tags: t.tags,
    custom_fields: [],
    created_at: t.created_at,
    updated_at: t.updated_at,
  };
}

export interface AuditChange {
  field_name: string;
  value: unknown;
  previous_value?: unknown;
}

/** An audit: one update of a ticket, its events a comment and the field changes. */
export function auditResource(id: number, ticket: ZendeskTicket, authorId: number, comment: ZendeskComment | undefined, changes: AuditChange[], nextId: () => number): Record<string, unknown> {
  const events: Record<string, unknown>[] = [];
  if (comment) events.push({ id: comment.id, type: 'Comment', author_id: comment.author_id, body: comment.body, html_body: `<p>${comment.body}</p>`, public: comment.public, attachments: [], audit_id: id });
  for (const c of changes) events.push({ id: nextId(), type: c.previous_value === undefined ? 'Create' : 'Change', ...c });
  return { id, ticket_id: ticket.id, created_at: ticket.updated_at, author_id: authorId, metadata: { system: {}, custom: {} }, events, via: { channel: 'api' } };
}

/** A validation failure: 422 `RecordInvalid`, the field's description and error code under details. */
export function recordInvalid(field: string, description: string, error = 'InvalidValue'): Record<string, unknown> {
  return { error: 'RecordInvalid', description: 'Record validation errors', details: { [field]: [{ description, error }] } };
}

export const notFound = { error: 'RecordNotFound', description: 'Not found' };
export const unauthenticated = { error: "Couldn't authenticate you" };
