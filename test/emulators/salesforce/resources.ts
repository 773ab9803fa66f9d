// Salesforce shapes: 18-character record ids, REST error lists (`[{message, errorCode, fields}]`), and the SOAP
// envelope of an Outbound Message (namespace http://soap.sforce.com/2005/09/outbound).

export type SObjectType = 'Contact' | 'Case' | 'CaseComment';

export interface SfRecord {
  Id: string;
  [field: string]: string | boolean | null;
}

export const KEY_PREFIX: Record<SObjectType, string> = { Contact: '003', Case: '500', CaseComment: '00a' };

export function recordId(prefix: string, n: number): string {
  return `${prefix}Dn${String(n).padStart(10, '0')}AAA`;
}

export function sfError(errorCode: string, message: string, fields?: string[]): unknown[] {
  return [{ message, errorCode, ...(fields ? { fields } : {}) }];
}

export const sessionExpired = sfError('INVALID_SESSION_ID', 'Session expired or invalid');
export const notFound = sfError('NOT_FOUND', 'The requested resource does not exist');

export interface OutboundNotification {
  type: SObjectType;
  fields: Record<string, string | boolean>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function outboundEnvelope(orgId: string, instanceUrl: string, notifications: OutboundNotification[], nextId: () => string): string {
  const items = notifications.map((n) => {
    const fields = Object.entries(n.fields).map(([k, v]) => `<sf:${k}>${esc(String(v))}</sf:${k}>`).join('');
    return `<Notification><Id>${nextId()}</Id><sObject xsi:type="sf:${n.type}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">${fields}</sObject></Notification>`;
  });
  const org15 = orgId.slice(0, 15);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    '<soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound">' +
    `<OrganizationId>${orgId}</OrganizationId><ActionId>04kDn0000000001AAA</ActionId><SessionId xsi:nil="true"/>` +
    `<EnterpriseUrl>${instanceUrl}/services/Soap/c/62.0/${org15}</EnterpriseUrl><PartnerUrl>${instanceUrl}/services/Soap/u/62.0/${org15}</PartnerUrl>` +
    items.join('') +
    '</notifications></soapenv:Body></soapenv:Envelope>'
  );
}

/** What Salesforce needs back to stop re-sending: `<Ack>true</Ack>` in notificationsResponse, in the outbound namespace. */
export function isAck(status: number, body: string): boolean {
  return (
    status === 200 &&
    /<(?:\w+:)?notificationsResponse\b[^>]*xmlns(?::\w+)?="http:\/\/soap\.sforce\.com\/2005\/09\/outbound"/.test(body) &&
    /<(?:\w+:)?Ack>\s*true\s*<\/(?:\w+:)?Ack>/.test(body)
  );
}
