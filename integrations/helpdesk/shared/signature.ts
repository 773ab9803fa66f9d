// HMAC-SHA256 signatures as the help desks send them (base64), compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmacSha256Base64(secret: string, data: string | Buffer): string {
  return createHmac('sha256', secret).update(data).digest('base64');
}

/** Constant-time string equality; unequal lengths are unequal without comparing contents. */
export function safeEqual(given: string | undefined, expected: string): boolean {
  if (given === undefined || !expected) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Signed timestamps older (or further ahead) than this are replays or a broken clock. */
export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;

export function isStale(signedAtMs: number, now: Date): boolean {
  return !Number.isFinite(signedAtMs) || Math.abs(now.getTime() - signedAtMs) > MAX_SIGNATURE_AGE_MS;
}
