import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadEnv } from '../../config/env.ts';

describe('configuration', () => {
  it('applies the embedded defaults', () => {
    const env = loadEnv({});
    assert.equal(env.PORT, 3000);
    assert.equal(env.TEMPORAL_TASK_QUEUE, 'conversations');
    assert.equal(env.EMBEDDINGS, 'auto');
  });

  it('names every bad variable at once', () => {
    assert.throws(
      () => loadEnv({ PORT: 'eighty', CHROMA_URL: 'not a url', ANSWER_MIN_CONFIDENCE: '3' }),
      (e: Error) => /PORT/.test(e.message) && /CHROMA_URL/.test(e.message) && /ANSWER_MIN_CONFIDENCE/.test(e.message),
    );
  });

  it('treats empty variables as unset', () => {
    assert.equal(loadEnv({ MONGODB_URI: '' }).MONGODB_URI, undefined);
  });
});
