// HubSpot Service Hub through the official @hubspot/api-client: the requester is a contact, the handoff a ticket in
// the configured pipeline carrying our external id in a custom property, the transcript and every relayed message
// a note on the ticket. HubSpot's CRM objects API has no public ticket reply: nothing written here reaches the customer.
import type { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { AssociationSpecAssociationCategoryEnum as NoteAssociationCategory } from '@hubspot/api-client/lib/codegen/crm/objects/notes/index.js';
import { AssociationSpecAssociationCategoryEnum as TicketAssociationCategory } from '@hubspot/api-client/lib/codegen/crm/tickets/index.js';
import { z } from 'zod';
import { IntegrationError } from '../../types.ts';
import type { HelpdeskAdapter, HelpdeskComment, HelpdeskConfig, NewTicket, Requester, TicketPriority, TicketRef, TicketStatus } from '../types.ts';
import { unexpectedResponse } from '../shared/errors.ts';
import { commentText, handoffNote, splitName, truncate } from '../shared/text.ts';
import { hubspotCall, hubspotClient, type HubSpotOptions } from './client.ts';
import { hubspotSettings, type HubSpotSettings } from './settings.ts';

export type { HubSpotOptions } from './client.ts';

// HubSpot-defined association type ids (Associations v4, "association type IDs").
const TICKET_TO_CONTACT = 16;
const NOTE_TO_TICKET = 228;
const PRIORITY: Record<TicketPriority, string> = { low: 'LOW', normal: 'MEDIUM', high: 'HIGH', urgent: 'URGENT' };
// hs_note_body is rich text with a 65,536-character cap.
const NOTE_MAX = 65_000;

const objectSchema = z.object({ id: z.string().min(1), properties: z.record(z.string(), z.string().nullable()).default({}) });
const searchSchema = z.object({ total: z.number(), results: z.array(objectSchema) });
const associationsSchema = z.object({ results: z.array(z.object({ toObjectId: z.union([z.string(), z.number()]) })) });

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw unexpectedResponse('HubSpot', what, r.error.message);
  return r.data;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const paragraphs = (s: string) => s.split('\n').map((line) => `<p>${escapeHtml(line)}</p>`).join('');

/** "Contact already exists. Existing ID: 123": the search index had not caught up with a contact made moments ago. */
const existingContactId = (err: IntegrationError) => (err.type === 'conflict' ? /Existing ID: (\d+)/.exec(err.message)?.[1] : undefined);

export class HubSpotHelpdesk implements HelpdeskAdapter {
  readonly name = 'hubspot' as const;
  private readonly timeoutMs: number;

  constructor(private readonly opts: HubSpotOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 15_000;
  }

  private call<T>(fn: () => Promise<T>): Promise<T> {
    return hubspotCall(this.timeoutMs, fn);
  }

  private ref(config: HelpdeskConfig, id: string, externalId: string): TicketRef {
    return { helpdesk: 'hubspot', id, externalId, url: `https://app.hubspot.com/contacts/${encodeURIComponent(config.routingKey)}/record/0-5/${id}` };
  }

  // One search, OR-ed filter groups: our customer id first, then email, then phone.
  async ensureRequester(config: HelpdeskConfig, requester: Requester): Promise<{ requesterId: string }> {
    const client = hubspotClient(config, this.opts);
    const s = hubspotSettings(config);
    const keys: [string, string | undefined][] = [[s.customerIdProperty, requester.customerId], ['email', requester.email], ['phone', requester.phone]];
    const wanted = keys.filter((k): k is [string, string] => !!k[1]);
    const found = parse(searchSchema, await this.call(() => client.crm.contacts.searchApi.doSearch({
      filterGroups: wanted.map(([propertyName, value]) => ({ filters: [{ propertyName, operator: FilterOperatorEnum.Eq, value }] })),
      properties: wanted.map(([p]) => p),
      limit: 10,
    })), 'contact search');
    for (const [property, value] of wanted) {
      const hit = found.results.find((c) => c.properties[property] === value);
      if (hit) return { requesterId: hit.id };
    }
    const { first, last } = splitName(requester);
    const properties: Record<string, string> = {
      [s.customerIdProperty]: requester.customerId,
      lastname: last,
      ...(first ? { firstname: first } : {}),
      ...(requester.email ? { email: requester.email } : {}),
      ...(requester.phone ? { phone: requester.phone } : {}),
    };
    try {
      return { requesterId: parse(objectSchema, await this.call(() => client.crm.contacts.basicApi.create({ properties, associations: [] })), 'contact').id };
    } catch (err) {
      const existing = err instanceof IntegrationError ? existingContactId(err) : undefined;
      if (existing) return { requesterId: existing };
      throw err;
    }
  }

  async findOrCreateTicket(config: HelpdeskConfig, ticket: NewTicket): Promise<TicketRef & { created: boolean }> {
    const client = hubspotClient(config, this.opts);
    const s = hubspotSettings(config);
    const existing = await this.findTicket(client, s, ticket.externalId);
    if (existing) {
      // A ticket made by an attempt that failed before its transcript note: the note is what the agent needs.
      if (!(await this.hasNotes(client, existing))) await this.addNote(client, existing, paragraphs(handoffNote(ticket.summary, ticket.transcript)));
      return { ...this.ref(config, existing, ticket.externalId), created: false };
    }
    const created = parse(objectSchema, await this.call(() => client.crm.tickets.basicApi.create({
      properties: {
        subject: ticket.subject,
        content: ticket.summary,
        hs_pipeline: s.pipeline,
        hs_pipeline_stage: s.stages.new,
        hs_ticket_priority: PRIORITY[ticket.priority],
        [s.externalIdProperty]: ticket.externalId,
      },
      associations: [{ to: { id: ticket.requesterId }, types: [{ associationCategory: TicketAssociationCategory.HubspotDefined, associationTypeId: TICKET_TO_CONTACT }] }],
    })), 'ticket');
    await this.addNote(client, created.id, paragraphs(handoffNote(ticket.summary, ticket.transcript)));
    return { ...this.ref(config, created.id, ticket.externalId), created: true };
  }

  // HubSpot has no public reply API for tickets through the CRM objects, so every message is a note; its first line
  // says whether the message was public (exchanged with the customer in Threadline) or internal. Notes take no
  // idempotency key: `duplicate` is always false and the caller's outbox keeps each message once.
  async addComment(config: HelpdeskConfig, ticket: TicketRef, comment: HelpdeskComment): Promise<{ commentId: string; duplicate: boolean }> {
    const label = comment.public ? 'Public message (seen by the customer in Threadline)' : 'Internal note (not seen by the customer)';
    const body = `<p><strong>[${label}]</strong></p>${paragraphs(commentText(comment))}`;
    return { commentId: await this.addNote(hubspotClient(config, this.opts), ticket.id, body), duplicate: false };
  }

  async setStatus(config: HelpdeskConfig, ticket: TicketRef, status: TicketStatus): Promise<void> {
    const s = hubspotSettings(config);
    await this.update(config, ticket, { hs_pipeline: s.pipeline, hs_pipeline_stage: s.stages[status] });
  }

  async setPriority(config: HelpdeskConfig, ticket: TicketRef, priority: TicketPriority): Promise<void> {
    await this.update(config, ticket, { hs_ticket_priority: PRIORITY[priority] });
  }

  private async update(config: HelpdeskConfig, ticket: TicketRef, properties: Record<string, string>): Promise<void> {
    const client = hubspotClient(config, this.opts);
    await this.call(() => client.crm.tickets.basicApi.update(ticket.id, { properties }));
  }

  private async findTicket(client: Client, s: HubSpotSettings, externalId: string): Promise<string | undefined> {
    if (s.externalIdIsUnique) {
      try {
        const t = await this.call(() => client.crm.tickets.basicApi.getById(externalId, [s.externalIdProperty], undefined, undefined, false, s.externalIdProperty));
        return parse(objectSchema, t, 'ticket').id;
      } catch (err) {
        if (err instanceof IntegrationError && err.type === 'not_found') return undefined;
        throw err;
      }
    }
    // Search is eventually consistent (seconds): see externalIdIsUnique for the read that is not.
    const found = parse(searchSchema, await this.call(() => client.crm.tickets.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: s.externalIdProperty, operator: FilterOperatorEnum.Eq, value: externalId }] }],
      properties: [s.externalIdProperty],
      sorts: ['createdate'],
      limit: 10,
    })), 'ticket search');
    return found.results.filter((t) => t.properties[s.externalIdProperty] === externalId).sort((a, b) => Number(a.id) - Number(b.id))[0]?.id;
  }

  private async hasNotes(client: Client, ticketId: string): Promise<boolean> {
    const page = parse(associationsSchema, await this.call(() => client.crm.associations.v4.basicApi.getPage('tickets', ticketId, 'notes', undefined, 1)), 'ticket associations');
    return page.results.length > 0;
  }

  private async addNote(client: Client, ticketId: string, html: string): Promise<string> {
    const note = await this.call(() => client.crm.objects.notes.basicApi.create({
      properties: { hs_note_body: truncate(html, NOTE_MAX), hs_timestamp: new Date().toISOString() },
      associations: [{ to: { id: ticketId }, types: [{ associationCategory: NoteAssociationCategory.HubspotDefined, associationTypeId: NOTE_TO_TICKET }] }],
    }));
    return parse(objectSchema, note, 'note').id;
  }
}
