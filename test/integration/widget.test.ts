// A widget conversation end to end over HTTP, on real Temporal, FerretDB and Chroma.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { serveFixtureSite } from '../helpers/fixtureSite.ts';
import { ingestAndWait } from '../helpers/knowledge.ts';
import { ask, history, newSession } from '../helpers/widget.ts';

describe('widget conversation', () => {
  let t: TestApp;
  let site: Awaited<ReturnType<typeof serveFixtureSite>>;

  before(async () => {
    t = await startTestApp();
    site = await serveFixtureSite();
    const source = await ingestAndWait(t.baseUrl, t.apiKey, { type: 'sitemap', url: site.sitemapUrl });
    assert.equal(source.pagesTotal, 14);
    assert.equal(source.status, 'done');
    assert.equal(source.pagesDone, 14);
  });
  after(async () => {
    await site?.close();
    await t?.stop();
  });

  it('answers a question from the help center with a citation, and keeps the history', async () => {
    const s = await newSession(t.baseUrl, t.workspaceId);
    assert.equal(s.verified, false);
    const r = await ask(t.baseUrl, s.token, 'How many days do I have to return something?', 'm1');
    assert.equal(r.conversationId, `conv:${t.workspaceId}:${s.customerId}`);
    assert.equal(r.mode, 'bot');
    assert.ok(r.reply, 'the bot replied');
    assert.match(r.reply.text, /60 days/);
    assert.ok(r.reply.citations.some((c) => c.url.endsWith('/help/returns.html')), JSON.stringify(r.reply.citations));

    const h = await history(t.baseUrl, s.token);
    assert.deepEqual(
      h.map((m) => [m.author, m.channel]),
      [
        ['customer', 'web'],
        ['bot', 'web'],
      ],
    );
    assert.equal(h[0]!.text, 'How many days do I have to return something?');
    assert.equal(h[1]!.messageId, r.reply.messageId);
  });

  it('stores and answers a message sent twice with the same clientMessageId once', async () => {
    const s = await newSession(t.baseUrl, t.workspaceId);
    const first = await ask(t.baseUrl, s.token, 'Is shipping free?', 'dup-1');
    const again = await ask(t.baseUrl, s.token, 'Is shipping free?', 'dup-1');
    assert.equal(again.reply?.messageId, first.reply?.messageId);
    assert.equal(again.reply?.text, first.reply?.text);
    const h = await history(t.baseUrl, s.token);
    assert.equal(h.length, 2, JSON.stringify(h));
  });

  it('abstains and offers a person when the help center has no answer', async () => {
    const s = await newSession(t.baseUrl, t.workspaceId);
    const r = await ask(t.baseUrl, s.token, 'What is the meaning of life?', 'm1');
    assert.ok(r.reply);
    assert.equal(r.reply.citations.length, 0);
    assert.match(r.reply.text, /person|human|agent|team/i);
  });

  it('resumes the same conversation with the saved session after a reload', async () => {
    const s = await newSession(t.baseUrl, t.workspaceId);
    await ask(t.baseUrl, s.token, 'How long does standard shipping take?', 'm1');
    const again = await newSession(t.baseUrl, t.workspaceId, { sessionId: s.sessionId });
    assert.equal(again.sessionId, s.sessionId);
    assert.equal(again.customerId, s.customerId);
    const h = await history(t.baseUrl, again.token);
    assert.equal(h.length, 2);
  });

  it('lists the conversation in Temporal visibility with the Threadline search attributes', async () => {
    const s = await newSession(t.baseUrl, t.workspaceId);
    const r = await ask(t.baseUrl, s.token, 'What does the lifetime warranty cover?', 'm1');
    const query = `ThreadlineWorkspace = "${t.workspaceId}" AND ThreadlineChannel = "web" AND ThreadlineMode = "bot" AND WorkflowId = "${r.conversationId}"`;
    const deadline = Date.now() + 15_000;
    let found = false;
    while (!found && Date.now() < deadline) {
      for await (const wf of t.app.services.temporal.workflow.list({ query })) {
        assert.equal(wf.workflowId, r.conversationId);
        assert.equal(wf.status.name, 'RUNNING');
        found = true;
      }
      if (!found) await new Promise((res) => setTimeout(res, 300));
    }
    assert.ok(found, 'the workflow is listed by its search attributes');
  });
});
