// Salesforce Service Cloud through the official jsforce client: the requester is a Contact and the handoff a Case,
// both upserted by External ID fields (atomic in Salesforce), messages are CaseComments.
import { z } from 'zod';
import { IntegrationError } from '../../types.ts';
import type { HelpdeskAdapter, HelpdeskComment, HelpdeskConfig, NewTicket, Requester, TicketPriority, TicketRef, TicketStatus } from '../types.ts';
import { unexpectedResponse } from '../shared/errors.ts';
import { commentText, handoffNote, splitName, truncate } from '../shared/text.ts';
import { SalesforceSessions, type SalesforceOptions } from './session.ts';
import { originFor, salesforceSettings } from './settings.ts';

export type { SalesforceOptions } from './session.ts';

// Field lengths of the standard objects: Case.Subject 255, Case.Description 32,000, CaseComment.CommentBody 4,000.
const SUBJECT_MAX = 255;
const DESCRIPTION_MAX = 32_000;
const COMMENT_MAX = 4_000;

const saveSchema = z.object({ id: z.string().min(15), success: z.boolean(), created: z.boolean().optional() });
const ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

function parseSave(value: unknown, what: string): z.infer<typeof saveSchema> {
  const r = saveSchema.safeParse(value);
  if (!r.success || !r.data.success) throw unexpectedResponse('Salesforce', what, r.success ? JSON.stringify(value) : r.error.message);
  return r.data;
}

function caseId(ref: TicketRef): string {
  if (!ID.test(ref.id)) throw new IntegrationError('invalid_request', `Salesforce case id "${ref.id}" is not a Salesforce id`, { retryable: false });
  return ref.id;
}

// jsforce puts the External ID value into the URL path unencoded (and leaves it out of the body), so it is given
// already encoded: our external ids contain ':' and customer ids may contain '+', '/' or '@'.
const inPath = (value: string) => encodeURIComponent(value);

export class SalesforceHelpdesk implements HelpdeskAdapter {
  readonly name = 'salesforce' as const;
  private readonly sessions: SalesforceSessions;

  constructor(opts: SalesforceOptions = {}) {
    this.sessions = new SalesforceSessions(opts);
  }

  async ensureRequester(config: HelpdeskConfig, requester: Requester): Promise<{ requesterId: string }> {
    const s = salesforceSettings(config);
    const { first, last } = splitName(requester);
    const record = {
      [s.contactExternalIdField]: inPath(requester.customerId),
      LastName: truncate(last, 80),
      ...(first ? { FirstName: truncate(first, 40) } : {}),
      ...(requester.email ? { Email: requester.email } : {}),
      ...(requester.phone ? { Phone: requester.phone } : {}),
    };
    const saved = await this.sessions.run(config, s.apiVersion, (conn) => conn.sobject('Contact').upsert(record, s.contactExternalIdField));
    return { requesterId: parseSave(saved, 'Contact upsert result').id };
  }

  // A query first, so a retry leaves a Case that agents already work on untouched (an upsert would write Status
  // and Priority back); the upsert then makes the Case atomically, so two racing creators still get one Case.
  async findOrCreateTicket(config: HelpdeskConfig, ticket: NewTicket): Promise<TicketRef & { created: boolean }> {
    const s = salesforceSettings(config);
    return this.sessions.run(config, s.apiVersion, async (conn, session) => {
      const ref = (id: string) => ({ helpdesk: 'salesforce' as const, id, externalId: ticket.externalId, url: `${session.instanceUrl}/lightning/r/Case/${id}/view` });
      const existing = z.object({ Id: z.string() }).nullable().safeParse(await conn.sobject('Case').findOne({ [s.caseExternalIdField]: ticket.externalId }, ['Id']));
      if (!existing.success) throw unexpectedResponse('Salesforce', 'Case query result', existing.error.message);
      if (existing.data) return { ...ref(existing.data.Id), created: false };
      const saved = parseSave(await conn.sobject('Case').upsert({
        [s.caseExternalIdField]: inPath(ticket.externalId),
        Subject: truncate(ticket.subject, SUBJECT_MAX),
        Description: truncate(handoffNote(ticket.summary, ticket.transcript), DESCRIPTION_MAX),
        Origin: originFor(s, ticket.channel),
        Priority: s.priorities[ticket.priority],
        Status: s.statuses.new,
        ContactId: ticket.requesterId,
      }, s.caseExternalIdField), 'Case upsert result');
      return { ...ref(saved.id), created: saved.created ?? true };
    });
  }

  // CaseComment takes no custom fields, so no key of ours can make it idempotent: `duplicate` is always false and
  // the caller's outbox keeps each message once. IsPublished makes it visible to the customer (portal, email).
  async addComment(config: HelpdeskConfig, ticket: TicketRef, comment: HelpdeskComment): Promise<{ commentId: string; duplicate: boolean }> {
    const s = salesforceSettings(config);
    const record = { ParentId: caseId(ticket), CommentBody: truncate(commentText(comment), COMMENT_MAX), IsPublished: comment.public };
    const saved = await this.sessions.run(config, s.apiVersion, (conn) => conn.sobject('CaseComment').create(record));
    return { commentId: parseSave(saved, 'CaseComment create result').id, duplicate: false };
  }

  async setStatus(config: HelpdeskConfig, ticket: TicketRef, status: TicketStatus): Promise<void> {
    const s = salesforceSettings(config);
    await this.sessions.run(config, s.apiVersion, (conn) => conn.sobject('Case').update({ Id: caseId(ticket), Status: s.statuses[status] }));
  }

  async setPriority(config: HelpdeskConfig, ticket: TicketRef, priority: TicketPriority): Promise<void> {
    const s = salesforceSettings(config);
    await this.sessions.run(config, s.apiVersion, (conn) => conn.sobject('Case').update({ Id: caseId(ticket), Priority: s.priorities[priority] }));
  }
}
