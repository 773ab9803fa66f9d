// What every Meta Graph webhook shares (WhatsApp Cloud API, Messenger, Instagram): the hub.challenge
// handshake and the X-Hub-Signature-256 HMAC of the raw body under the app secret.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ChannelConfig, RawWebhook, VerifyResult } from '../types.ts';

/**
 * Meta's verification GET names no page or phone number, so the callback URL configured in the Meta app
 * carries the routing key: `…/webhook?account=<phone number id | page id>`.
 */
export const ACCOUNT_PARAM = 'account';

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
};

const text = (status: number, body: string) => ({ status, contentType: 'text/plain', body });

export async function graphHandshake(
  req: RawWebhook,
  lookup: (routingKey: string) => Promise<ChannelConfig | undefined>,
): Promise<{ status: number; contentType: string; body: string } | undefined> {
  if (req.method.toUpperCase() !== 'GET') return undefined;
  const challenge = req.query['hub.challenge'];
  if (req.query['hub.mode'] !== 'subscribe' || !challenge) return text(400, 'not a subscription request');
  const key = req.query[ACCOUNT_PARAM];
  const config = key ? await lookup(key) : undefined;
  const expected = config?.credentials.verifyToken;
  const given = req.query['hub.verify_token'];
  if (!expected || !given || !safeEqual(expected, given)) return text(403, 'verify token mismatch');
  return text(200, challenge);
}

export function verifyGraphSignature(req: RawWebhook, appSecret: string | undefined): VerifyResult {
  const header = req.headers['x-hub-signature-256'];
  if (!header) return { ok: false, status: 401, reason: 'missing X-Hub-Signature-256' };
  if (!appSecret) return { ok: false, status: 401, reason: 'no app secret configured' };
  const expected = 'sha256=' + createHmac('sha256', appSecret).update(req.rawBody).digest('hex');
  return safeEqual(expected, header.trim().toLowerCase()) ? { ok: true } : { ok: false, status: 401, reason: 'bad X-Hub-Signature-256' };
}

/** The body of a Graph webhook as JSON; signatures were checked over the bytes, not over this. */
export function jsonBody(req: RawWebhook): unknown {
  try {
    return JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
}
