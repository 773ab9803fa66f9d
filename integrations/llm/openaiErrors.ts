// One mapping from the OpenAI SDK's errors to ours, shared by the chat and embedding clients.
import OpenAI from 'openai';
import { IntegrationError } from '../types.ts';

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const raw = headers?.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export function openAIError(err: unknown, action: string): IntegrationError {
  if (err instanceof IntegrationError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  const message = `OpenAI ${action}: ${detail}`;
  if (err instanceof OpenAI.APIConnectionTimeoutError) return new IntegrationError('timeout', message, { cause: err });
  if (err instanceof OpenAI.APIConnectionError) return new IntegrationError('unavailable', message, { cause: err });
  if (err instanceof OpenAI.APIError) {
    const status = err.status;
    const opts = { status, cause: err };
    if (status === 429) return new IntegrationError('rate_limited', message, { ...opts, retryAfterMs: retryAfterMs(err.headers) });
    if (status === 408) return new IntegrationError('timeout', message, opts);
    if (status !== undefined && status >= 500) return new IntegrationError('unavailable', message, { ...opts, retryAfterMs: retryAfterMs(err.headers) });
    if (status === 401 || status === 403) return new IntegrationError('unauthorized', message, opts);
    if (status === 404) return new IntegrationError('not_found', message, opts);
    if (status === 409) return new IntegrationError('conflict', message, opts);
    if (status !== undefined && status >= 400) return new IntegrationError('invalid_request', message, opts);
  }
  return new IntegrationError('unknown', message, { cause: err });
}
