// Graph API error bodies. Throttling is not HTTP 429 on Graph: it is a 400 whose error code says which limit was hit.
import { randomBytes } from 'node:crypto';

export type GraphThrottleCode = 130429 | 4 | 613;

export function graphError(message: string, code: number, extra: Record<string, unknown> = {}): { error: Record<string, unknown> } {
  return { error: { message, type: 'OAuthException', code, ...extra, fbtrace_id: randomBytes(9).toString('base64url') } };
}

export const invalidToken = () => graphError('Invalid OAuth access token - Cannot parse access token', 190);

export function throttled(code: GraphThrottleCode): { error: Record<string, unknown> } {
  const message =
    code === 130429
      ? '(#130429) Rate limit hit: Cloud API message throughput has been reached.'
      : code === 4
        ? '(#4) Application request limit reached'
        : '(#613) Calls to this api have exceeded the rate limit.';
  return graphError(message, code, code === 130429 ? { error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' } } : {});
}

export function serverError(status: 500 | 503): { error: Record<string, unknown> } {
  return status === 503
    ? graphError('(#2) Service temporarily unavailable', 2, { is_transient: true })
    : graphError('An unexpected error has occurred. Please retry your request later.', 1, { is_transient: true });
}
