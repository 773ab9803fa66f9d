// X-HubSpot-Signature-v3: base64 HMAC-SHA256 (the app's client secret) over method + URI + raw body + the
// X-HubSpot-Request-Timestamp value (epoch milliseconds). HubSpot signs the URI with these characters decoded.
import { hmacSha256Base64, isStale, safeEqual } from '../shared/signature.ts';

const DECODED: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$',
  '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

export function hubspotSignatureUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()] ?? m);
}

export function hubspotSignatureV3(clientSecret: string, method: string, uri: string, rawBody: Buffer | string, timestamp: string): string {
  const body = Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : rawBody;
  return hmacSha256Base64(clientSecret, `${method.toUpperCase()}${hubspotSignatureUri(uri)}${body}${timestamp}`);
}

export type HubSpotSignatureCheck = 'ok' | 'missing' | 'stale' | 'bad';

export function checkHubSpotSignature(
  clientSecret: string,
  req: { method: string; url: string; rawBody: Buffer; signature: string | undefined; timestamp: string | undefined },
  now: Date,
): HubSpotSignatureCheck {
  if (!req.signature || !req.timestamp) return 'missing';
  if (!/^\d+$/.test(req.timestamp) || isStale(Number(req.timestamp), now)) return 'stale';
  const expected = hubspotSignatureV3(clientSecret, req.method, req.url, req.rawBody, req.timestamp);
  return safeEqual(req.signature, expected) ? 'ok' : 'bad';
}
