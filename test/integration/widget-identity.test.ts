// Widget identities signed by the site's backend are verified; anything else stays anonymous.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { after, before, describe, it } from 'node:test';
import { http, startTestApp, type TestApp } from '../helpers/app.ts';
import { ask, history, newSession } from '../helpers/widget.ts';

describe('widget identity', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.stop());

  const userHash = (userId: string, secret = t.widgetSecret) => createHmac('sha256', secret).update(userId).digest('hex');
  const jwt = (claims: Record<string, string>, secret = t.widgetSecret) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('10m').sign(new TextEncoder().encode(secret));

  it('a valid userHash verifies the user id and finds the same customer from another browser', async () => {
    const a = await newSession(t.baseUrl, t.workspaceId, { identity: { userId: 'u-1' }, userHash: userHash('u-1') });
    assert.equal(a.verified, true);
    await ask(t.baseUrl, a.token, 'hello from the laptop', 'm1');
    const b = await newSession(t.baseUrl, t.workspaceId, { identity: { userId: 'u-1' }, userHash: userHash('u-1') });
    assert.equal(b.customerId, a.customerId);
    assert.equal((await history(t.baseUrl, b.token)).length, 2, 'the same history on the second device');
  });

  it('a wrong userHash is anonymous, says why, and sees nothing of the real user', async () => {
    const real = await newSession(t.baseUrl, t.workspaceId, { identity: { userId: 'u-2' }, userHash: userHash('u-2') });
    await ask(t.baseUrl, real.token, 'my private question', 'm1');
    const forged = await http<{ verified: boolean; customerId: string; reason?: string; token: string }>(t.baseUrl, 'POST', '/v1/widget/sessions', {
      body: { workspace: t.workspaceId, identity: { userId: 'u-2' }, userHash: userHash('u-2', 'wrong-secret') },
    });
    assert.equal(forged.status, 201);
    assert.equal(forged.body.verified, false);
    assert.match(forged.body.reason ?? '', /userHash/);
    assert.notEqual(forged.body.customerId, real.customerId);
    assert.deepEqual(await history(t.baseUrl, forged.body.token), []);
  });

  it('a JWT signed with the widget secret verifies its claims; a forged one does not', async () => {
    const good = await newSession(t.baseUrl, t.workspaceId, { identityToken: await jwt({ sub: 'u-3', email: 'Ada@Example.com' }) });
    assert.equal(good.verified, true);
    const customer = await t.app.services.models.Customer.findById(good.customerId).lean();
    assert.ok(customer?.identifiers.some((i) => i.kind === 'email' && i.value === 'ada@example.com' && i.verified));
    const bad = await newSession(t.baseUrl, t.workspaceId, { identityToken: await jwt({ sub: 'u-3' }, 'not-the-secret') });
    assert.equal(bad.verified, false);
    assert.notEqual(bad.customerId, good.customerId);
  });

  it('an anonymous session that signs in keeps its earlier messages', async () => {
    const anon = await newSession(t.baseUrl, t.workspaceId);
    await ask(t.baseUrl, anon.token, 'question before login', 'm1');
    const signed = await newSession(t.baseUrl, t.workspaceId, { sessionId: anon.sessionId, identity: { userId: 'u-4' }, userHash: userHash('u-4') });
    assert.equal(signed.verified, true);
    assert.equal(signed.customerId, anon.customerId);
    const h = await history(t.baseUrl, signed.token);
    assert.equal(h[0]?.text, 'question before login');
  });
});

describe('widget stream and ops endpoints', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.stop());

  it('pushes messages written after the stream opened, as server-sent events', async () => {
    const s = await newSession(t.baseUrl, t.workspaceId);
    await ask(t.baseUrl, s.token, 'first message', 'm1');
    const controller = new AbortController();
    const res = await fetch(`${t.baseUrl}/v1/widget/stream?token=${encodeURIComponent(s.token)}`, { signal: controller.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const reader = res.body!.getReader();
    const sent = ask(t.baseUrl, s.token, 'second message', 'm2');
    let buffer = '';
    const deadline = Date.now() + 10_000;
    while (!/"author":"bot"/.test(buffer) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += new TextDecoder().decode(value);
    }
    controller.abort();
    await sent;
    const events = buffer.split('\n\n').filter((e) => e.includes('event: message'));
    const texts = events.map((e) => JSON.parse(e.split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as { author: string; text: string });
    assert.deepEqual(texts[0], { ...texts[0], author: 'customer', text: 'second message' });
    assert.ok(texts.some((m) => m.author === 'bot'));
    assert.ok(!texts.some((m) => m.text === 'first message'), 'only messages after the stream opened');
  });

  it('reports health, readiness and metrics', async () => {
    assert.deepEqual((await http(t.baseUrl, 'GET', '/healthz')).body, { status: 'ok' });
    const ready = await http<{ status: string; checks: Record<string, string> }>(t.baseUrl, 'GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body.checks, { temporal: 'ok', documentStore: 'ok', vectorStore: 'ok' });
    const metrics = await fetch(`${t.baseUrl}/metrics`);
    assert.match(await metrics.text(), /threadline_http_requests_total/);
  });

  it('searches, re-syncs and deletes knowledge through the admin API', async () => {
    const { serveFixtureSite } = await import('../helpers/fixtureSite.ts');
    const { ingestAndWait } = await import('../helpers/knowledge.ts');
    const site = await serveFixtureSite();
    try {
      const src = await ingestAndWait(t.baseUrl, t.apiKey, { type: 'url', url: `${site.origin}/help/warranty.html` });
      assert.equal(src.pagesDone, 1);
      const found = await http<{ chunks: { url: string; score: number }[] }>(t.baseUrl, 'POST', '/v1/knowledge/search', { token: t.apiKey, body: { query: 'lifetime warranty', k: 3 } });
      assert.equal(found.status, 200);
      assert.ok(found.body.chunks[0]!.url.endsWith('/help/warranty.html'));
      const del = await http(t.baseUrl, 'DELETE', `/v1/knowledge/sources/${src.sourceId}`, { token: t.apiKey });
      assert.equal(del.status, 204);
      const after = await http<{ chunks: unknown[] }>(t.baseUrl, 'POST', '/v1/knowledge/search', { token: t.apiKey, body: { query: 'lifetime warranty', k: 3 } });
      assert.deepEqual(after.body.chunks, []);
      const files = await http(t.baseUrl, 'POST', '/v1/knowledge/sources', { token: t.apiKey, body: { type: 'files', paths: ['/etc'] } });
      assert.equal(files.status, 400, 'files outside KNOWLEDGE_FILE_ROOTS are refused');
    } finally {
      await site.close();
    }
  });
});
