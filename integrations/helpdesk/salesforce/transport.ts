// jsforce's HTTP transport with two changes: no retries of its own (Temporal retries, honouring Retry-After) and a
// timeout; and it keeps the last failed response, because jsforce's errors drop the HTTP status and headers.
import { Transport } from 'jsforce/lib/transport.js';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce/lib/types/index.js';
import { z } from 'zod';
import { IntegrationError } from '../../types.ts';
import { httpFailure, networkFailure, safeJson } from '../shared/errors.ts';

export class RecordingTransport extends Transport {
  lastFailure: HttpResponse | undefined;

  constructor(private readonly timeoutMs: number) {
    super();
  }

  override httpRequest(req: HttpRequest, options: HttpRequestOptions = {}) {
    const pending = super.httpRequest(req, { ...options, timeout: this.timeoutMs, retry: { maxRetries: 0 } });
    // Registered before jsforce awaits the response, so it runs first: the failure is known when jsforce throws.
    pending.then((res) => {
      if (res.statusCode >= 400) this.lastFailure = res;
    }, () => undefined);
    return pending;
  }
}

// REST errors are `[{message, errorCode, fields?}]`; the OAuth endpoint answers `{error, error_description}`.
const restErrors = z.array(z.object({ message: z.string(), errorCode: z.string() }));
const oauthError = z.object({ error: z.string(), error_description: z.string().optional() });

// The token endpoint answers 400 for credentials it refuses: that is an auth failure, not a bad request.
const OAUTH_REFUSALS = new Set(['invalid_client', 'invalid_grant', 'unauthorized_client', 'invalid_client_id']);

function failureError(failure: HttpResponse): IntegrationError {
  const json = safeJson(failure.body);
  const rest = restErrors.safeParse(json);
  const oauth = oauthError.safeParse(json);
  if (oauth.success && failure.statusCode < 500 && OAUTH_REFUSALS.has(oauth.data.error)) {
    const message = `Salesforce: HTTP ${failure.statusCode} ${oauth.data.error} ${oauth.data.error_description ?? ''}`.trim();
    return new IntegrationError('unauthorized', message, { status: failure.statusCode });
  }
  const detail = rest.success
    ? rest.data.map((e) => `${e.errorCode} ${e.message}`).join('; ')
    : oauth.success ? [oauth.data.error, oauth.data.error_description].filter(Boolean).join(' ') : failure.body.slice(0, 300);
  return httpFailure('Salesforce', failure.statusCode, detail, failure.headers['retry-after']);
}

export function salesforceError(err: unknown, failure: HttpResponse | undefined): IntegrationError {
  if (err instanceof IntegrationError) return err;
  if (failure) return failureError(failure);
  const e = err as { name?: unknown; message?: unknown };
  // An upsert whose External ID value matches several records (the field is not marked unique).
  if (e.name === 'MULTIPLE_CHOICES') return new IntegrationError('conflict', `Salesforce: ${String(e.message)}`, { status: 300, cause: err });
  if (e.name === 'FetchError' || e.name === 'AbortError') return networkFailure('Salesforce', err);
  return new IntegrationError('unknown', `Salesforce: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

/** A session that expired or was revoked: worth one new token, not a failure of the operation. */
export const isSessionExpired = (err: unknown): boolean =>
  err instanceof IntegrationError && err.status === 401 && err.message.includes('INVALID_SESSION_ID');

export async function salesforceCall<T>(transport: RecordingTransport, fn: () => Promise<T>): Promise<T> {
  transport.lastFailure = undefined;
  try {
    return await fn();
  } catch (err) {
    throw salesforceError(err, transport.lastFailure);
  }
}
