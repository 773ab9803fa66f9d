// SMTP failures as IntegrationErrors: 4xx replies and broken connections are worth retrying, 5xx replies are final.
import { IntegrationError } from '../../types.ts';

const connectionCodes = new Set(['ECONNECTION', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'ETLS', 'EPROTOCOL']);

export function smtpFailure(err: unknown): IntegrationError {
  if (err instanceof IntegrationError) return err;
  const e = (err ?? {}) as { responseCode?: unknown; code?: unknown; message?: unknown; response?: unknown };
  const message = typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : 'SMTP send failed';
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (status !== undefined && status >= 400 && status < 500) return new IntegrationError('unavailable', message, { status, retryable: true, cause: err });
  if (code === 'EAUTH' || status === 535 || status === 530) return new IntegrationError('unauthorized', message, { status, retryable: false, cause: err });
  if (status !== undefined && status >= 500) return new IntegrationError('invalid_request', message, { status, retryable: false, cause: err });
  if (code === 'ETIMEDOUT') return new IntegrationError('timeout', message, { retryable: true, cause: err });
  if (code && connectionCodes.has(code)) return new IntegrationError('unavailable', message, { retryable: true, cause: err });
  return new IntegrationError('unknown', message, { cause: err });
}
