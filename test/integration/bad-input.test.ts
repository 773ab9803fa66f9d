// Bad bodies, unknown workspaces and bad tokens get a clear 4xx and start nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { http, startTestApp, type TestApp } from '../helpers/app.ts';
import { newSession } from '../helpers/widget.ts';

describe('bad input', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.stop());

  const errorShape = (body: unknown, status: number, code: string) => {
    const e = (body as { error?: { code?: string; message?: string } }).error;
    assert.ok(e, `error body: ${JSON.stringify(body)}`);
    assert.equal(e.code, code, `status ${status}: ${JSON.stringify(body)}`);
    assert.ok(e.message && e.message.length > 0);
  };

  async function workflowsOf(workspaceId: string): Promise<number> {
    let n = 0;
    for await (const _ of t.app.services.temporal.workflow.list({ query: `ThreadlineWorkspace = "${workspaceId}"` })) n++;
    return n;
  }

  it('rejects bad session bodies', async () => {
    const cases: [unknown, number, string][] = [
      [{ workspace: t.workspaceId, extra: 1 }, 400, 'invalid_body'],
      [{}, 400, 'invalid_body'],
      [{ workspace: t.workspaceId, userHash: 'not-hex' }, 400, 'invalid_body'],
      [{ workspace: 'no-such-workspace' }, 404, 'not_found'],
    ];
    for (const [body, status, code] of cases) {
      const r = await http(t.baseUrl, 'POST', '/v1/widget/sessions', { body });
      assert.equal(r.status, status, JSON.stringify(body));
      errorShape(r.body, status, code);
    }
  });

  it('rejects bad message bodies, bad JSON, huge bodies and bad tokens, and starts no workflow', async () => {
    const s = await newSession(t.baseUrl, t.workspaceId);
    const cases: [Parameters<typeof http>[3], number, string][] = [
      [{ token: s.token, body: { text: 'hi' } }, 400, 'invalid_body'],
      [{ token: s.token, body: { text: '', clientMessageId: 'a' } }, 400, 'invalid_body'],
      [{ token: s.token, body: { text: '   ', clientMessageId: 'a' } }, 400, 'invalid_body'],
      [{ token: s.token, body: { text: 'hi', clientMessageId: 'a', admin: true } }, 400, 'invalid_body'],
      [{ token: s.token, body: { text: 'hi', clientMessageId: 'bad id with spaces' } }, 400, 'invalid_body'],
      [{ token: s.token, body: { text: 'x'.repeat(4001), clientMessageId: 'a' } }, 400, 'invalid_body'],
      [{ token: s.token, body: ['text'] }, 400, 'invalid_body'],
      [{ token: s.token, raw: '{"text": "hi",' }, 400, 'invalid_json'],
      [{ token: s.token, raw: JSON.stringify({ text: 'x'.repeat(300_000), clientMessageId: 'a' }) }, 413, 'body_too_large'],
      [{ body: { text: 'hi', clientMessageId: 'a' } }, 401, 'unauthorized'],
      [{ token: 'wst_forged', body: { text: 'hi', clientMessageId: 'a' } }, 401, 'unauthorized'],
    ];
    for (const opts of cases) {
      const [o, status, code] = opts;
      const r = await http(t.baseUrl, 'POST', '/v1/widget/messages', o);
      assert.equal(r.status, status, JSON.stringify(o).slice(0, 200));
      errorShape(r.body, status, code);
    }
    const h = await http(t.baseUrl, 'GET', '/v1/widget/history', { token: 'wst_forged' });
    assert.equal(h.status, 401);
    assert.equal(await workflowsOf(t.workspaceId), 0, 'no conversation workflow was started');
    const stored = await t.app.services.models.Message.countDocuments({ workspaceId: t.workspaceId });
    assert.equal(stored, 0);
  });

  it('guards the admin API', async () => {
    let r = await http(t.baseUrl, 'POST', '/v1/workspaces', { body: { id: 'acme', name: 'Acme' } });
    assert.equal(r.status, 401);
    r = await http(t.baseUrl, 'POST', '/v1/workspaces', { token: t.apiKey, body: { id: 'acme', name: 'Acme' } });
    assert.equal(r.status, 403, 'a workspace key cannot create workspaces');
    r = await http(t.baseUrl, 'POST', '/v1/workspaces', { token: t.adminKey, body: { id: 'Not Valid!', name: 'x' } });
    assert.equal(r.status, 400);
    r = await http(t.baseUrl, 'POST', '/v1/workspaces', { token: t.adminKey, body: { id: t.workspaceId, name: 'again' } });
    assert.equal(r.status, 409);
    r = await http(t.baseUrl, 'GET', '/v1/conversations', { token: 'tl_key_wrong' });
    assert.equal(r.status, 401);
    r = await http(t.baseUrl, 'GET', '/v1/conversations?mode=sleeping', { token: t.apiKey });
    assert.equal(r.status, 400);
    r = await http(t.baseUrl, 'GET', '/v1/nope', { token: t.apiKey });
    assert.equal(r.status, 404);
  });

  it('creates a workspace whose key sees only its own data', async () => {
    const id = `acme-${Date.now().toString(36)}`;
    const created = await http<{ id: string; apiKey: string; widgetSecret: string }>(t.baseUrl, 'POST', '/v1/workspaces', { token: t.adminKey, body: { id, name: 'Acme' } });
    assert.equal(created.status, 201);
    assert.equal(created.body.id, id);
    assert.ok(created.body.apiKey && created.body.widgetSecret);
    const stored = await t.app.services.models.ApiKey.find({ workspaceId: id }).lean();
    assert.ok(stored.every((k) => !JSON.stringify(k).includes(created.body.apiKey)), 'keys are stored hashed');
    const s = await newSession(t.baseUrl, t.workspaceId);
    await http(t.baseUrl, 'POST', '/v1/widget/messages', { token: s.token, body: { text: 'hello', clientMessageId: 'x1' } });
    const conv = `conv:${t.workspaceId}:${s.customerId}`;
    const other = await http(t.baseUrl, 'GET', `/v1/conversations/${encodeURIComponent(conv)}`, { token: created.body.apiKey });
    assert.equal(other.status, 404, 'another workspace gets 404, not 403');
    const mine = await http<{ messages: unknown[] }>(t.baseUrl, 'GET', `/v1/conversations/${encodeURIComponent(conv)}`, { token: t.apiKey });
    assert.equal(mine.status, 200);
    assert.equal(mine.body.messages.length, 2);
  });
});
