import { ApplicationFailure } from '@temporalio/common';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { mapFailures, toActivityFailure } from '../../activities/errors.ts';
import { IntegrationError } from '../../integrations/types.ts';

test('non-retryable integration errors stop Temporal retries', () => {
  const failure = toActivityFailure(new IntegrationError('not_found', 'GET /x answered 404', { status: 404 }));
  assert.ok(failure instanceof ApplicationFailure);
  assert.equal(failure.nonRetryable, true);
  assert.equal(failure.type, 'not_found');
});

test('a rate limit retries after the delay the server asked for', () => {
  const failure = toActivityFailure(new IntegrationError('rate_limited', 'slow down', { status: 429, retryAfterMs: 7000 }));
  assert.ok(failure instanceof ApplicationFailure);
  assert.equal(failure.nonRetryable, false);
  assert.equal(failure.nextRetryDelay, 7000);
});

test('unavailable retries on the normal schedule; bad input never retries', async () => {
  const down = toActivityFailure(new IntegrationError('unavailable', '503', { status: 503 }));
  assert.ok(down instanceof ApplicationFailure && !down.nonRetryable && down.nextRetryDelay == null);
  const parse = mapFailures(async (input: unknown) => z.object({ url: z.string() }).parse(input));
  await assert.rejects(parse({}), (err: unknown) => err instanceof ApplicationFailure && err.nonRetryable === true);
  const plain = new Error('bug');
  assert.equal(toActivityFailure(plain), plain);
});
