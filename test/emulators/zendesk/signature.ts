// Zendesk's webhook signature, computed here on its own (not with the adapter's code): base64 HMAC-SHA256 with
// the signing secret over the timestamp header value followed by the body.
import { createHmac } from 'node:crypto';

export function zendeskWebhookSignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(timestamp + body, 'utf8').digest('base64');
}
