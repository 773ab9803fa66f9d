// Twilio's JSON shapes: the Message resource and the error body every 4xx/5xx carries.
import { SegmentedMessage } from 'sms-segments-calculator';

export interface TwilioMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  mediaUrls: string[];
  statusCallback?: string;
  status: string;
  errorCode: number | null;
  dateCreated: Date;
  dateUpdated: Date;
}

/** Twilio writes RFC 2822 dates with a numeric zone. */
const rfc2822 = (d: Date): string => d.toUTCString().replace('GMT', '+0000');

export function messageResource(m: TwilioMessage): Record<string, unknown> {
  const uri = `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}.json`;
  return {
    account_sid: m.accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: rfc2822(m.dateCreated),
    date_sent: null,
    date_updated: rfc2822(m.dateUpdated),
    direction: 'outbound-api',
    error_code: m.errorCode,
    error_message: null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: String(m.mediaUrls.length),
    num_segments: String(m.body ? new SegmentedMessage(m.body).segmentsCount : 1),
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: uri.replace(/\.json$/, '/Media.json') },
    to: m.to,
    uri,
  };
}

export function twilioError(status: number, code: number, message: string): Record<string, unknown> {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}
