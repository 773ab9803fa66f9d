// One mapping from a help desk's HTTP failure to an IntegrationError, so every vendor retries the same way:
// 429 waits for Retry-After, 5xx and network faults retry, other 4xx carry the vendor's message and stop.
import { IntegrationError } from '../../types.ts';

/** Retry-After is either delta-seconds or an HTTP date. */
export function retryAfterMs(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function httpFailure(vendor: string, status: number, detail: string, retryAfter?: unknown): IntegrationError {
  const message = `${vendor}: HTTP ${status}${detail ? ` ${detail}` : ''}`;
  const wait = retryAfterMs(retryAfter);
  if (status === 429) return new IntegrationError('rate_limited', message, { status, retryAfterMs: wait });
  if (status >= 500) return new IntegrationError('unavailable', message, { status, retryAfterMs: wait });
  if (status === 401 || status === 403) return new IntegrationError('unauthorized', message, { status });
  if (status === 404) return new IntegrationError('not_found', message, { status });
  if (status === 409) return new IntegrationError('conflict', message, { status });
  return new IntegrationError('invalid_request', message, { status });
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);

/** A request that got no HTTP answer: a timeout, or the network. Both are worth another attempt. */
export function networkFailure(vendor: string, err: unknown): IntegrationError {
  if (err instanceof IntegrationError) return err;
  const e = err as { name?: unknown; code?: unknown; cause?: { code?: unknown } };
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : undefined;
  const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError' || (code !== undefined && TIMEOUT_CODES.has(code));
  const message = `${vendor}: ${err instanceof Error ? err.message : String(err)}`;
  return new IntegrationError(timedOut ? 'timeout' : 'unavailable', message, { cause: err });
}

/** A 2xx answer whose body is not what the vendor documents: retrying will not fix it. */
export function unexpectedResponse(vendor: string, what: string, detail: string): IntegrationError {
  return new IntegrationError('unknown', `${vendor}: unexpected ${what}: ${detail}`, { retryable: false });
}

export function missingCredential(vendor: string, keys: string): IntegrationError {
  return new IntegrationError('unauthorized', `${vendor} help desk needs credentials ${keys}`, { retryable: false });
}

export function badSettings(vendor: string, detail: string): IntegrationError {
  return new IntegrationError('invalid_request', `${vendor} help desk settings: ${detail}`, { retryable: false });
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
