// The Zendesk emulator's records and the rules Zendesk applies to them: users keyed by external_id or email,
// tickets whose external_id is NOT unique, closed tickets that refuse updates, comments and their audits.
import { auditResource, recordInvalid, ticketResource, userResource, zendeskTime, type AuditChange, type ZendeskComment, type ZendeskTicket, type ZendeskUser } from './resources.ts';

export type StoreResult = { status: number; json: unknown };

const STATUSES = new Set(['new', 'open', 'pending', 'hold', 'solved', 'closed']);
const PRIORITIES = new Set(['low', 'normal', 'high', 'urgent']);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

export class ZendeskStore {
  readonly users: ZendeskUser[] = [];
  readonly tickets: ZendeskTicket[] = [];
  readonly comments: ZendeskComment[] = [];
  private seq = 1000;

  constructor(private readonly origin: () => string, readonly apiUser: ZendeskUser, readonly agent: ZendeskUser) {
    this.users.push(apiUser, agent);
  }

  nextId = (): number => ++this.seq;

  createOrUpdateUser(body: Record<string, unknown>): StoreResult {
    const input = obj(body.user);
    if (!input) return { status: 400, json: { error: 'InvalidEndpoint', description: 'Missing user parameter' } };
    const externalId = str(input.external_id);
    const email = str(input.email);
    if (email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return { status: 422, json: recordInvalid('email', `Email: ${email} is not properly formatted`) };
    const existing = (externalId && this.users.find((u) => u.external_id === externalId)) || (email && this.users.find((u) => u.email === email)) || undefined;
    const now = zendeskTime();
    if (existing) {
      Object.assign(existing, {
        ...(str(input.name) ? { name: str(input.name) } : {}),
        ...(email ? { email } : {}),
        ...(str(input.phone) ? { phone: str(input.phone) } : {}),
        ...(externalId ? { external_id: externalId } : {}),
        updated_at: now,
      });
      return { status: 200, json: { user: userResource(this.origin(), existing) } };
    }
    const name = str(input.name)?.trim();
    if (!name) return { status: 422, json: recordInvalid('name', 'Name: is too short (minimum one character)') };
    const user: ZendeskUser = { id: this.nextId(), external_id: externalId ?? null, name, email: email ?? null, phone: str(input.phone) ?? null, role: 'end-user', created_at: now, updated_at: now };
    this.users.push(user);
    return { status: 201, json: { user: userResource(this.origin(), user) } };
  }

  listTickets(externalId: string | null): StoreResult {
    const tickets = this.tickets.filter((t) => externalId === null || t.external_id === externalId).map((t) => ticketResource(this.origin(), t));
    return { status: 200, json: { tickets, meta: { has_more: false, after_cursor: null, before_cursor: null }, links: { prev: null, next: null } } };
  }

  createTicket(body: Record<string, unknown>, authorId: number): StoreResult {
    const input = obj(body.ticket);
    if (!input) return { status: 400, json: { error: 'InvalidEndpoint', description: 'Missing ticket parameter' } };
    const comment = obj(input.comment);
    const text = str(comment?.body) ?? str(input.description);
    if (!text?.trim()) return { status: 422, json: recordInvalid('base', 'Description: cannot be blank', 'BlankValue') };
    const requesterId = typeof input.requester_id === 'number' ? input.requester_id : authorId;
    if (!this.users.some((u) => u.id === requesterId)) return { status: 422, json: recordInvalid('requester', 'Requester: is invalid') };
    const invalid = this.invalidFields(input);
    if (invalid) return invalid;
    const now = zendeskTime();
    const ticket: ZendeskTicket = {
      id: this.nextId(),
      external_id: str(input.external_id) ?? null,
      subject: str(input.subject) ?? text.slice(0, 60),
      description: text,
      requester_id: requesterId,
      submitter_id: authorId,
      status: str(input.status) ?? 'new',
      priority: str(input.priority) ?? null,
      tags: Array.isArray(input.tags) ? input.tags.filter((x): x is string => typeof x === 'string') : [],
      created_at: now,
      updated_at: now,
    };
    this.tickets.push(ticket);
    const added = this.addComment(ticket, authorId, text, comment?.public !== false);
    const changes: AuditChange[] = [{ field_name: 'status', value: ticket.status }, { field_name: 'priority', value: ticket.priority }];
    return { status: 201, json: { ticket: ticketResource(this.origin(), ticket), audit: auditResource(this.nextId(), ticket, authorId, added, changes, this.nextId) } };
  }

  showTicket(id: number): StoreResult {
    const ticket = this.tickets.find((t) => t.id === id);
    return ticket ? { status: 200, json: { ticket: ticketResource(this.origin(), ticket) } } : { status: 404, json: { error: 'RecordNotFound', description: 'Not found' } };
  }

  updateTicket(id: number, body: Record<string, unknown>, authorId: number): StoreResult {
    const ticket = this.tickets.find((t) => t.id === id);
    if (!ticket) return { status: 404, json: { error: 'RecordNotFound', description: 'Not found' } };
    const input = obj(body.ticket);
    if (!input) return { status: 400, json: { error: 'InvalidEndpoint', description: 'Missing ticket parameter' } };
    if (ticket.status === 'closed') return { status: 422, json: recordInvalid('status', 'Status: closed prevents ticket update') };
    const invalid = this.invalidFields(input);
    if (invalid) return invalid;
    const comment = obj(input.comment);
    if (comment && !str(comment.body)?.trim()) return { status: 422, json: recordInvalid('comment', 'Comment: cannot be blank', 'BlankValue') };
    const changes: AuditChange[] = [];
    for (const field of ['status', 'priority', 'subject'] as const) {
      const value = str(input[field]);
      if (value !== undefined && value !== ticket[field]) {
        changes.push({ field_name: field, value, previous_value: ticket[field] });
        ticket[field] = value;
      }
    }
    ticket.updated_at = zendeskTime();
    const added = comment ? this.addComment(ticket, authorId, str(comment.body) ?? '', comment.public !== false) : undefined;
    return { status: 200, json: { ticket: ticketResource(this.origin(), ticket), audit: auditResource(this.nextId(), ticket, authorId, added, changes, this.nextId) } };
  }

  addComment(ticket: ZendeskTicket, authorId: number, body: string, isPublic: boolean): ZendeskComment {
    const comment: ZendeskComment = { id: this.nextId(), ticket_id: ticket.id, author_id: authorId, body, public: isPublic, created_at: zendeskTime() };
    this.comments.push(comment);
    return comment;
  }

  private invalidFields(input: Record<string, unknown>): StoreResult | undefined {
    const status = input.status;
    if (status !== undefined && (typeof status !== 'string' || !STATUSES.has(status))) return { status: 422, json: recordInvalid('status', `Status: ${String(status)} is not a valid value`) };
    const priority = input.priority;
    if (priority !== undefined && priority !== null && (typeof priority !== 'string' || !PRIORITIES.has(priority))) return { status: 422, json: recordInvalid('priority', `Priority: ${String(priority)} is not a valid value`) };
    return undefined;
  }
}
