// A Threadline with the fixture help center ingested and vendor emulators, for channel tests.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { http, startTestApp, type TestApp } from './app.ts';
import { serveFixtureSite } from './fixtureSite.ts';
import { ingestAndWait } from './knowledge.ts';

export async function startKnowledgeApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const t = await startTestApp({ BURST_WINDOW_MS: '400', ...overrides });
  const site = await serveFixtureSite();
  try {
    const source = await ingestAndWait(t.baseUrl, t.apiKey, { type: 'sitemap', url: site.sitemapUrl });
    assert.equal(source.status, 'done');
  } finally {
    await site.close();
  }
  return t;
}

export async function connectChannel(t: TestApp, channel: string, body: { routingKey: string; credentials: Record<string, string>; settings?: Record<string, unknown> }): Promise<void> {
  const r = await http(t.baseUrl, 'PUT', `/v1/workspace/channels/${channel}`, { token: t.apiKey, body });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

/** Polls until `check` returns a value, or fails after `ms`. */
export async function eventually<T>(what: string, check: () => T | null | undefined | false | Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const metaSignature = (appSecret: string, body: string) => `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
export const slackSignature = (secret: string, ts: string, body: string) => `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;

export async function post(t: TestApp, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string; type: string | null }> {
  const res = await fetch(`${t.baseUrl}${path}`, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

export const noMarkdown = (text: string) => !/\*\*|__|^#{1,6}\s|\[[^\]]+\]\([^)]+\)/m.test(text);
