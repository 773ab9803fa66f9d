// Twilio's request signature: base64 HMAC-SHA1(auth token, URL + each POST param name and value, sorted by name).
import { createHmac, timingSafeEqual } from 'node:crypto';

export function twilioSignature(authToken: string, url: string, params: Iterable<readonly [string, string]>): string {
  const sorted = [...params].sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const data = url + sorted.map(([k, v]) => k + v).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * Twilio may sign the URL with or without the default port (its own helper libraries try both), so a URL
 * that a proxy rewrote between the two forms still verifies.
 */
function urlVariants(url: string): string[] {
  const m = /^(https?):\/\/([^/:?#]+)(:\d+)?(.*)$/i.exec(url);
  if (!m) return [url];
  const [, scheme, host, port, rest] = m;
  const other = port ? `${scheme}://${host}${rest}` : `${scheme}://${host}:${scheme?.toLowerCase() === 'https' ? 443 : 80}${rest}`;
  return [url, other];
}

export function verifyTwilioSignature(authToken: string, url: string, params: ReadonlyArray<readonly [string, string]>, signature: string | undefined): boolean {
  if (!signature || !authToken) return false;
  const given = Buffer.from(signature, 'utf8');
  return urlVariants(url).some((u) => {
    const expected = Buffer.from(twilioSignature(authToken, u, params), 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}
