// The worker dies after the help desk created the ticket but before the activity completed: still one ticket.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { stateQuery } from '../../workflows/conversation.messages.ts';
import { http, startTestApp, type TestApp } from '../helpers/app.ts';
import { eventually } from '../helpers/channels.ts';
import { ask, newSession } from '../helpers/widget.ts';
import { startZendeskEmulator, type ZendeskEmulator } from '../emulators/zendesk/index.ts';

function startWorkerProcess(t: TestApp): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/run.ts'], {
    env: { ...process.env, TEMPORAL_TASK_QUEUE: t.taskQueue, HELPDESK_TASK_QUEUE: t.env.HELPDESK_TASK_QUEUE, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('worker ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

describe('worker killed during ticket creation', () => {
  let t: TestApp;
  let zd: ZendeskEmulator;
  let worker: ChildProcess | undefined;

  before(async () => {
    zd = await startZendeskEmulator({ subdomain: `crash-${Date.now().toString(36)}` });
    t = await startTestApp({ HELPDESK_ACTIVITY_TIMEOUT_SECONDS: '4' }, { worker: false });
    const put = await http(t.baseUrl, 'PUT', '/v1/workspace/helpdesk', {
      token: t.apiKey,
      body: { helpdesk: 'zendesk', routingKey: zd.subdomain, baseUrl: zd.url, credentials: { email: zd.email, apiToken: zd.apiToken, webhookSecret: zd.webhookSecret } },
    });
    assert.equal(put.status, 200);
  });
  after(async () => {
    worker?.kill('SIGKILL');
    await t?.stop();
    await zd?.close();
  });

  it('makes exactly one ticket', async () => {
    worker = await startWorkerProcess(t);
    // Zendesk takes 2 s to answer the ticket creation; the worker dies while it waits. Zendesk still creates it.
    zd.failNext(1, { delayMs: 2000 }, (r) => r.method === 'POST' && /\/tickets/.test(r.path));
    const s = await newSession(t.baseUrl, t.workspaceId);
    const r = await ask(t.baseUrl, s.token, 'I want to talk to a human', 'x1');
    // The ticket is requested right after the reply; kill the worker while Zendesk is still answering.
    await new Promise((res) => setTimeout(res, 800));
    assert.equal(zd.tickets.length, 0, 'the creation is still in flight');
    worker.kill('SIGKILL');
    await eventually('the ticket created at Zendesk', () => zd.tickets.length === 1, 10_000);
    worker = await startWorkerProcess(t);
    // The retried activity finds the ticket by its external id instead of making a second one.
    const handle = t.app.services.temporal.workflow.getHandle(r.conversationId);
    const state = await eventually('agent mode', async () => {
      const st = await handle.query(stateQuery);
      return st.mode === 'agent' ? st : undefined;
    }, 40_000);
    assert.equal(zd.tickets.length, 1);
    assert.equal(state.ticket?.id, String(zd.tickets[0]!.id));
  });
});
