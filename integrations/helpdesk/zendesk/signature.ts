// X-Zendesk-Webhook-Signature: base64 HMAC-SHA256 (the webhook's signing secret) over the signature timestamp
// header followed directly by the raw body.
import { hmacSha256Base64, isStale, safeEqual } from '../shared/signature.ts';

export function zendeskSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return hmacSha256Base64(secret, Buffer.concat([Buffer.from(timestamp, 'utf8'), Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, 'utf8')]));
}

export type ZendeskSignatureCheck = 'ok' | 'missing' | 'stale' | 'bad';

export function checkZendeskSignature(secret: string, timestamp: string | undefined, signature: string | undefined, rawBody: Buffer, now: Date): ZendeskSignatureCheck {
  if (!signature || !timestamp) return 'missing';
  // Zendesk sends an ISO 8601 time; the signature covers it, so a replayed request keeps its old time.
  if (isStale(Date.parse(timestamp), now)) return 'stale';
  return safeEqual(signature, zendeskSignature(secret, timestamp, rawBody)) ? 'ok' : 'bad';
}
