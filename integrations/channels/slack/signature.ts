// Slack's request signature: v0=hex HMAC-SHA256(signing secret, "v0:" + timestamp + ":" + raw body),
// refused when the timestamp is more than five minutes from now (a replayed request).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RawWebhook, VerifyResult } from '../types.ts';

export const MAX_SKEW_SECONDS = 5 * 60;

export function slackSignature(signingSecret: string, timestamp: string, rawBody: Buffer | string): string {
  return 'v0=' + createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest('hex');
}

export function verifySlackSignature(req: RawWebhook, signingSecret: string | undefined, now: Date): VerifyResult {
  const signature = req.headers['x-slack-signature'];
  const timestamp = req.headers['x-slack-request-timestamp'];
  if (!signature || !timestamp) return { ok: false, status: 401, reason: 'missing X-Slack-Signature or X-Slack-Request-Timestamp' };
  if (!signingSecret) return { ok: false, status: 401, reason: 'no signing secret configured' };
  const ts = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || Math.abs(now.getTime() / 1000 - ts) > MAX_SKEW_SECONDS) return { ok: false, status: 401, reason: 'stale X-Slack-Request-Timestamp' };
  const expected = Buffer.from(slackSignature(signingSecret, timestamp, req.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given) ? { ok: true } : { ok: false, status: 401, reason: 'bad X-Slack-Signature' };
}
