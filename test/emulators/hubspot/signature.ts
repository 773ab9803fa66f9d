// HubSpot's v3 request signature, computed here on its own (not with the adapter's code): base64 HMAC-SHA256 with
// the client secret over method + URI + body + timestamp, the URI with HubSpot's listed characters decoded.
import { createHmac } from 'node:crypto';

const DECODE: [RegExp, string][] = [
  [/%3A/gi, ':'], [/%2F/gi, '/'], [/%3F/gi, '?'], [/%40/gi, '@'], [/%21/gi, '!'], [/%24/gi, '$'],
  [/%27/gi, "'"], [/%28/gi, '('], [/%29/gi, ')'], [/%2A/gi, '*'], [/%2C/gi, ','], [/%3B/gi, ';'],
];

export function hubspotV3Signature(secret: string, method: string, uri: string, body: string, timestamp: string): string {
  const decoded = DECODE.reduce((u, [pattern, ch]) => u.replace(pattern, ch), uri);
  return createHmac('sha256', secret).update(`${method}${decoded}${body}${timestamp}`, 'utf8').digest('base64');
}
