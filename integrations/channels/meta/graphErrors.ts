// Graph API failures → IntegrationError. Graph reports throttling as HTTP 400 with an error code, so the code,
// not the status, decides what is retryable (WhatsApp Cloud API, Messenger and Instagram Send API alike).
import { z } from 'zod';
import { IntegrationError } from '../../types.ts';

const errorBody = z.object({
  error: z.object({
    message: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    is_transient: z.boolean().optional(),
  }),
});

/**
 * How long to wait when Graph names no time. The throughput and pair limits (130429, 131056) clear within
 * seconds; the app, page and user limits (4, 17, 32, 613, 80007) and spam limit (131048) are rolling windows.
 */
const THROTTLE_BACKOFF_MS: Record<number, number> = {
  4: 60_000, 17: 60_000, 32: 60_000, 613: 60_000, 80007: 60_000, 131048: 60_000,
  130429: 5_000, 131056: 6_000,
};
export const THROTTLE_CODES = new Set(Object.keys(THROTTLE_BACKOFF_MS).map(Number));
const AUTH_CODES = new Set([190, 102, 10, 200]);

export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Business-use-case throttling names its wait, in minutes, in X-Business-Use-Case-Usage. */
function bucWaitMs(header: string | null): number | undefined {
  if (!header) return undefined;
  try {
    const usage = JSON.parse(header) as Record<string, { estimated_time_to_regain_access?: unknown }[]>;
    const minutes = Object.values(usage).flat().map((u) => Number(u.estimated_time_to_regain_access)).filter((m) => m > 0);
    return minutes.length ? Math.max(...minutes) * 60_000 : undefined;
  } catch {
    return undefined;
  }
}

export function graphError(status: number, headers: Headers, body: unknown, action: string): IntegrationError {
  const parsed = errorBody.safeParse(body);
  const err = parsed.success ? parsed.data.error : {};
  const code = err.code;
  const message = `Graph ${action}: HTTP ${status}${code !== undefined ? ` code ${code}` : ''}${err.message ? ` ${err.message}` : ''}`;
  const opts = { status };
  const named = retryAfterMs(headers.get('retry-after')) ?? bucWaitMs(headers.get('x-business-use-case-usage'));
  if (status === 429 || (code !== undefined && THROTTLE_CODES.has(code))) {
    return new IntegrationError('rate_limited', message, { ...opts, retryAfterMs: named ?? THROTTLE_BACKOFF_MS[code ?? 0] ?? 60_000 });
  }
  if (status >= 500 || err.is_transient || code === 1 || code === 2) return new IntegrationError('unavailable', message, { ...opts, retryAfterMs: named });
  if (status === 401 || status === 403 || (code !== undefined && (AUTH_CODES.has(code) || (code >= 200 && code < 300)))) {
    return new IntegrationError('unauthorized', message, opts);
  }
  if (status === 404) return new IntegrationError('not_found', message, opts);
  return new IntegrationError('invalid_request', message, opts);
}
