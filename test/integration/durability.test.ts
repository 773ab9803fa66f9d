// The worker killed mid-conversation and started again: the conversation goes on and nothing is lost or doubled.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { http, startTestApp, type TestApp } from '../helpers/app.ts';
import { history, newSession, type WidgetReply } from '../helpers/widget.ts';
import { serveFixtureSite } from '../helpers/fixtureSite.ts';
import { ingestAndWait } from '../helpers/knowledge.ts';

function startWorkerProcess(taskQueue: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/run.ts'], {
    env: { ...process.env, TEMPORAL_TASK_QUEUE: taskQueue, HELPDESK_TASK_QUEUE: `${taskQueue}-helpdesk`, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('worker ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

describe('worker crash', () => {
  let t: TestApp;
  let worker: ChildProcess | undefined;
  before(async () => {
    t = await startTestApp({}, { worker: false });
  });
  after(async () => {
    worker?.kill('SIGKILL');
    await t?.stop();
  });

  it('continues the conversation after the worker is killed mid-turn', async () => {
    worker = await startWorkerProcess(t.taskQueue);
    const site = await serveFixtureSite();
    await ingestAndWait(t.baseUrl, t.apiKey, { type: 'sitemap', url: site.sitemapUrl }).finally(() => site.close());
    const s = await newSession(t.baseUrl, t.workspaceId);
    const first = await http<WidgetReply>(t.baseUrl, 'POST', '/v1/widget/messages', { token: s.token, body: { text: 'How long does standard shipping take?', clientMessageId: 'c1' } });
    assert.equal(first.status, 200);

    // Send the second message and kill the worker while the turn is in flight.
    const second = http<WidgetReply>(t.baseUrl, 'POST', '/v1/widget/messages', { token: s.token, body: { text: 'Is shipping free?', clientMessageId: 'c2' } });
    await new Promise((r) => setTimeout(r, 30));
    worker.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 1000));
    worker = await startWorkerProcess(t.taskQueue);
    const r2 = await second;
    // The update was accepted before the kill (200) or not yet (503: the widget retries with the same id).
    let reply = r2.body;
    if (r2.status !== 200) {
      assert.equal(r2.status, 503, JSON.stringify(r2.body));
      const retried = await http<WidgetReply>(t.baseUrl, 'POST', '/v1/widget/messages', { token: s.token, body: { text: 'Is shipping free?', clientMessageId: 'c2' } });
      assert.equal(retried.status, 200);
      reply = retried.body;
    }
    assert.ok(reply.reply, 'the second message was answered');

    const third = await http<WidgetReply>(t.baseUrl, 'POST', '/v1/widget/messages', { token: s.token, body: { text: 'How many days do I have to return something?', clientMessageId: 'c3' } });
    assert.equal(third.status, 200);
    const h = await history(t.baseUrl, s.token);
    assert.deepEqual(
      h.map((m) => m.author),
      ['customer', 'bot', 'customer', 'bot', 'customer', 'bot'],
    );
    assert.deepEqual(
      h.filter((m) => m.author === 'customer').map((m) => m.text),
      ['How long does standard shipping take?', 'Is shipping free?', 'How many days do I have to return something?'],
    );
  });
});
