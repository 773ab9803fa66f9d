// The official HubSpot client for one workspace (a private app's access token), pointed at HubSpot or an emulator,
// and the one place that turns the SDK's ApiException (status, body, headers) into an IntegrationError.
import { Client } from '@hubspot/api-client';
import { IntegrationError } from '../../types.ts';
import type { HelpdeskConfig } from '../types.ts';
import { httpFailure, missingCredential, networkFailure } from '../shared/errors.ts';

export interface HubSpotOptions {
  /** API origin for every workspace (an emulator in tests); otherwise config.baseUrl, otherwise https://api.hubapi.com. */
  baseUrl?: string;
  timeoutMs?: number;
}

export function hubspotClient(config: HelpdeskConfig, opts: HubSpotOptions): Client {
  const accessToken = config.credentials.accessToken;
  if (!accessToken) throw missingCredential('HubSpot', '"accessToken"');
  const basePath = (opts.baseUrl ?? config.baseUrl ?? 'https://api.hubapi.com').replace(/\/+$/, '');
  // No SDK retries: Temporal retries the activity, and honours Retry-After.
  return new Client({ accessToken, basePath, numberOfApiCallRetries: 0 });
}

interface ApiExceptionLike {
  code: number;
  body?: unknown;
  headers?: Record<string, string>;
}

// Every codegen module has its own ApiException class, so it is recognised by shape.
const isApiException = (err: unknown): err is ApiExceptionLike =>
  !!err && typeof err === 'object' && typeof (err as { code?: unknown }).code === 'number' && 'body' in err;

/** HubSpot's error JSON: `{status: "error", message, category, correlationId}`. */
export function hubspotError(err: unknown): IntegrationError {
  if (!isApiException(err)) return networkFailure('HubSpot', err);
  const body = (err.body ?? {}) as { message?: unknown; category?: unknown; errorType?: unknown };
  const detail = [body.category ?? body.errorType, body.message].filter((x) => typeof x === 'string' && x).join(' ');
  return httpFailure('HubSpot', err.code, detail, err.headers?.['retry-after']);
}

/**
 * One SDK call, failures typed. The SDK takes no timeout or abort signal, so the wait is bounded here: the request
 * may still finish in the background, but the activity gets its answer (and retries) on time.
 */
export async function hubspotCall<T>(timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IntegrationError('timeout', `HubSpot: no answer in ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([fn(), timeout]);
  } catch (err) {
    throw err instanceof IntegrationError ? err : hubspotError(err);
  } finally {
    clearTimeout(timer);
  }
}
