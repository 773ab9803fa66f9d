// Salesforce Outbound Messages: a SOAP envelope whose `notifications` (namespace
// http://soap.sforce.com/2005/09/outbound) carries the org id and up to 100 Notifications, each one sObject
// with the fields the outbound message was set up to send. Salesforce re-sends until it gets the Ack.
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { IntegrationError } from '../../types.ts';

export const OUTBOUND_NS = 'http://soap.sforce.com/2005/09/outbound';

export const OUTBOUND_ACK =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
  `<notificationsResponse xmlns="${OUTBOUND_NS}"><Ack>true</Ack></notificationsResponse>` +
  '</soapenv:Body></soapenv:Envelope>';

export interface OutboundNotification {
  /** The sObject type without its prefix: "Case", "CaseComment". */
  type: string;
  /** Field values as sent; relationship fields flattened ("CreatedBy.Name"); nil fields left out. */
  fields: Record<string, string>;
}

export interface OutboundMessage {
  organizationId: string;
  notifications: OutboundNotification[];
}

// Values stay strings: ids such as 0012... must not become numbers.
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  processEntities: true,
  isArray: (_name, jpath) => jpath === 'Envelope.Body.notifications.Notification',
});

const messageSchema = z.object({
  Envelope: z.object({
    Body: z.object({
      notifications: z.object({
        OrganizationId: z.string().min(15),
        Notification: z.array(z.object({ sObject: z.record(z.string(), z.unknown()) })).default([]),
      }),
    }),
  }),
});

function flatten(node: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_') || key === '#text') continue;
    if (typeof value === 'string') out[prefix + key] = value;
    else if (value && typeof value === 'object' && !Array.isArray(value) && (value as Record<string, unknown>)['@_nil'] !== 'true') Object.assign(out, flatten(value as Record<string, unknown>, `${prefix}${key}.`));
  }
  return out;
}

export function parseOutboundMessage(rawBody: Buffer): OutboundMessage {
  let doc: unknown;
  try {
    doc = parser.parse(rawBody.toString('utf8'));
  } catch (err) {
    throw new IntegrationError('invalid_request', `Salesforce outbound message is not XML: ${(err as Error).message}`, { status: 400 });
  }
  const r = messageSchema.safeParse(doc);
  if (!r.success) throw new IntegrationError('invalid_request', `Salesforce outbound message: ${r.error.message}`, { status: 400 });
  const { OrganizationId, Notification } = r.data.Envelope.Body.notifications;
  return {
    organizationId: OrganizationId,
    notifications: Notification.map(({ sObject }) => ({ type: String(sObject['@_type'] ?? '').replace(/^.*:/, ''), fields: flatten(sObject) })),
  };
}
