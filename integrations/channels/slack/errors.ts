// @slack/web-api failures → IntegrationError.
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import { IntegrationError } from '../../types.ts';

const AUTH = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'no_permission', 'missing_scope', 'not_allowed_token_type', 'ekm_access_denied', 'team_access_not_granted']);
const NOT_FOUND = new Set(['channel_not_found', 'user_not_found']);
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

export function slackError(err: unknown, action: string): IntegrationError {
  if (err instanceof IntegrationError) return err;
  const message = `Slack ${action}: ${err instanceof Error ? err.message : String(err)}`;
  if (err instanceof WebAPIRateLimitedError) return new IntegrationError('rate_limited', message, { status: 429, retryAfterMs: err.retryAfter * 1000, cause: err });
  if (err instanceof WebAPIPlatformError) {
    const code = err.data.error;
    if (code === 'ratelimited' || code === 'rate_limited') {
      const seconds = err.data.response_metadata?.retryAfter;
      return new IntegrationError('rate_limited', message, { status: 429, retryAfterMs: seconds !== undefined ? seconds * 1000 : undefined, cause: err });
    }
    if (AUTH.has(code)) return new IntegrationError('unauthorized', message, { cause: err });
    if (NOT_FOUND.has(code)) return new IntegrationError('not_found', message, { cause: err });
    if (TRANSIENT.has(code)) return new IntegrationError('unavailable', message, { cause: err });
    return new IntegrationError('invalid_request', message, { cause: err });
  }
  if (err instanceof WebAPIHTTPError) {
    const status = err.statusCode;
    if (status >= 500) return new IntegrationError('unavailable', message, { status, cause: err });
    return new IntegrationError(status === 401 || status === 403 ? 'unauthorized' : 'invalid_request', message, { status, cause: err });
  }
  if (err instanceof WebAPIRequestError) {
    const name = err.original.name;
    return new IntegrationError(name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unavailable', message, { cause: err });
  }
  return new IntegrationError('unknown', message, { cause: err });
}
