// The one place where failures become Temporal retry decisions.
import { ApplicationFailure } from '@temporalio/common';
import { ZodError } from 'zod';
import { IntegrationError } from '../integrations/types.ts';

/**
 * Non-retryable integration errors stop the retries at once; a rate limit waits as long as the
 * server asked (Retry-After); bad activity input is a bug no retry can fix.
 */
export function toActivityFailure(err: unknown): Error {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof IntegrationError) {
    const details = [{ status: err.status, retryAfterMs: err.retryAfterMs }];
    if (!err.retryable) return ApplicationFailure.create({ message: err.message, type: err.type, nonRetryable: true, details, cause: err });
    return ApplicationFailure.create({
      message: err.message,
      type: err.type,
      nonRetryable: false,
      details,
      cause: err,
      ...(err.retryAfterMs !== undefined ? { nextRetryDelay: err.retryAfterMs } : {}),
    });
  }
  if (err instanceof ZodError) {
    return ApplicationFailure.create({ message: `invalid activity input: ${err.message}`, type: 'invalid_request', nonRetryable: true, cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** Wraps an activity so whatever it throws leaves through toActivityFailure. */
export function mapFailures<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      throw toActivityFailure(err);
    }
  };
}
