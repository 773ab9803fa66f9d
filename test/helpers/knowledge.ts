import assert from 'node:assert/strict';
import { http } from './app.ts';

/** Starts an ingestion through the API and waits until the source is done. */
export async function ingestAndWait(baseUrl: string, apiKey: string, source: Record<string, unknown>, timeoutMs = 120_000): Promise<Record<string, unknown>> {
  const started = await http<{ sourceId: string }>(baseUrl, 'POST', '/v1/knowledge/sources', { token: apiKey, body: source });
  assert.equal(started.status, 202, JSON.stringify(started.body));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await http<Record<string, unknown>>(baseUrl, 'GET', `/v1/knowledge/sources/${started.body.sourceId}`, { token: apiKey });
    assert.equal(s.status, 200);
    if (s.body.status === 'done' || s.body.status === 'failed') return s.body;
    if (Date.now() > deadline) throw new Error(`ingestion not done in time: ${JSON.stringify(s.body)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
