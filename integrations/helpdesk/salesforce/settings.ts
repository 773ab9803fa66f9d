// A workspace's Salesforce settings: the External ID fields that carry our ids, and the picklist values that stand
// for our statuses and priorities (defaults: the standard Case values).
import { z } from 'zod';
import type { HelpdeskConfig, TicketPriority, TicketStatus } from '../types.ts';
import { badSettings } from '../shared/errors.ts';
import { TICKET_STATUSES } from '../shared/text.ts';

const DEFAULT_STATUSES: Record<TicketStatus, string> = { new: 'New', open: 'Working', pending: 'Escalated', solved: 'Closed', closed: 'Closed' };
const DEFAULT_PRIORITIES: Record<TicketPriority, string> = { low: 'Low', normal: 'Medium', high: 'High', urgent: 'High' };
// Case Origin is a picklist (standard values Phone, Email, Web); settings.origins maps channels to the org's values.
const DEFAULT_ORIGINS: Record<string, string> = {
  email: 'Email', web: 'Web', phone: 'Phone', sms: 'SMS', whatsapp: 'WhatsApp', messenger: 'Messenger', instagram: 'Instagram', slack: 'Slack', api: 'API',
};

// Field names end up in SOQL and in URL paths: API names only.
const field = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'an API field name');
const value = z.string().min(1);

const schema = z.object({
  contactExternalIdField: field.default('Threadline_Customer_Id__c'),
  caseExternalIdField: field.default('Threadline_External_Id__c'),
  statuses: z.object({ new: value, open: value, pending: value, solved: value, closed: value }).partial().default({}),
  priorities: z.object({ low: value, normal: value, high: value, urgent: value }).partial().default({}),
  origins: z.record(z.string(), value).default({}),
  apiVersion: z.string().regex(/^\d{2,3}\.0$/).default('62.0'),
  /** The user the connected app runs as: comments it wrote come back in outbound messages and are not agent replies. */
  integrationUserId: z.string().regex(/^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/).optional(),
});

export interface SalesforceSettings extends Omit<z.infer<typeof schema>, 'statuses' | 'priorities'> {
  statuses: Record<TicketStatus, string>;
  priorities: Record<TicketPriority, string>;
}

export function salesforceSettings(config: HelpdeskConfig): SalesforceSettings {
  const r = schema.safeParse(config.settings);
  if (!r.success) throw badSettings('Salesforce', r.error.message);
  return { ...r.data, statuses: { ...DEFAULT_STATUSES, ...r.data.statuses }, priorities: { ...DEFAULT_PRIORITIES, ...r.data.priorities } };
}

export function originFor(settings: SalesforceSettings, channel: string): string {
  return settings.origins[channel] ?? DEFAULT_ORIGINS[channel] ?? channel;
}

/** The status a Case Status stands for; where several share a value (solved and closed), the later one wins. */
export function statusForCaseStatus(settings: SalesforceSettings, caseStatus: string): TicketStatus | undefined {
  let found: TicketStatus | undefined;
  for (const status of TICKET_STATUSES) if (settings.statuses[status] === caseStatus) found = status;
  return found;
}

/** Salesforce ids come in 15 (case-sensitive) and 18 (checksummed) characters; the first 15 are the id. */
export const sameSalesforceId = (a: string, b: string): boolean => a.slice(0, 15) === b.slice(0, 15) && a.length >= 15;
