// Many messages with a low continue-as-new threshold: the transcript stays complete and ordered, dedupe spans runs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stateQuery } from '../../workflows/conversation.messages.ts';
import { http, startTestApp, type TestApp } from '../helpers/app.ts';
import { ask, newSession } from '../helpers/widget.ts';

const MESSAGES = 300;

describe('continue-as-new', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ CONTINUE_AS_NEW_EVENTS: '100' });
  });
  after(async () => t?.stop());

  it(`keeps ${MESSAGES} messages complete, in order, and deduped across runs`, async () => {
    const s = await newSession(t.baseUrl, t.workspaceId);
    let conversationId = '';
    for (let i = 1; i <= MESSAGES; i++) {
      const r = await ask(t.baseUrl, s.token, `message number ${i}`, `n${i}`);
      conversationId = r.conversationId;
      assert.ok(r.reply, `message ${i} answered`);
    }
    const handle = t.app.services.temporal.workflow.getHandle(conversationId);
    const state = await handle.query(stateQuery);
    assert.ok(state.runs >= 2, `continued as new at least twice (runs: ${state.runs})`);
    assert.equal(state.seq, MESSAGES * 2);

    // A message from the first run, sent again, is recognized in a later run.
    const again = await ask(t.baseUrl, s.token, 'message number 250', 'n250');
    const early = await http<{ reply?: { messageId: string } }>(t.baseUrl, 'POST', '/v1/widget/messages', { token: s.token, body: { text: 'message number 5', clientMessageId: 'n5' } });
    assert.equal(early.status, 200);
    assert.equal(early.body.reply?.messageId, `bot:web:${s.sessionId}:n5`);
    assert.ok(again.reply);

    const conv = await http<{ messages: { author: string; text: string }[] }>(t.baseUrl, 'GET', `/v1/conversations/${encodeURIComponent(conversationId)}`, { token: t.apiKey });
    assert.equal(conv.status, 200);
    const msgs = conv.body.messages;
    assert.equal(msgs.length, MESSAGES * 2, 'nothing lost, nothing doubled');
    const customer = msgs.filter((m) => m.author === 'customer').map((m) => m.text);
    assert.deepEqual(customer, Array.from({ length: MESSAGES }, (_, i) => `message number ${i + 1}`));
    for (let i = 0; i < msgs.length; i += 2) {
      assert.equal(msgs[i]!.author, 'customer');
      assert.equal(msgs[i + 1]!.author, 'bot');
    }
    assert.equal((await t.app.services.models.Message.countDocuments({ conversationId })), MESSAGES * 2);
  });
});
