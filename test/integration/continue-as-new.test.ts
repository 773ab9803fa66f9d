// Many messages with a low continue-as-new threshold: the transcript stays complete and ordered, dedupe spans runs.
// With an empty knowledge base the bot abstains twice and hands off, so most messages also exercise agent mode:
// each one becomes exactly one comment on the ticket, across runs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stateQuery } from '../../workflows/conversation.messages.ts';
import { http, startTestApp, type TestApp } from '../helpers/app.ts';
import { newSession } from '../helpers/widget.ts';

const MESSAGES = 300;

describe('continue-as-new', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ CONTINUE_AS_NEW_EVENTS: '100' });
  });
  after(async () => t?.stop());

  it(`keeps ${MESSAGES} messages complete, in order, and deduped across runs`, async () => {
    const s = await newSession(t.baseUrl, t.workspaceId);
    const conversationId = `conv:${t.workspaceId}:${s.customerId}`;
    for (let i = 1; i <= MESSAGES; i++) {
      const r = await http<{ conversationId: string }>(t.baseUrl, 'POST', '/v1/widget/messages', { token: s.token, body: { text: `message number ${i}`, clientMessageId: `n${i}` } });
      assert.equal(r.status, 200, `message ${i}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.conversationId, conversationId);
    }
    const state = await t.app.services.temporal.workflow.getHandle(conversationId).query(stateQuery);
    assert.ok(state.runs >= 2, `continued as new at least twice (runs: ${state.runs})`);
    assert.equal(state.mode, 'agent');

    const { Message, LocalTicket } = t.app.services.models;
    const before = await Message.countDocuments({ conversationId });
    // Messages from the first run, sent again, are recognized in a later run and change nothing.
    for (const id of ['n5', 'n250']) {
      const again = await http(t.baseUrl, 'POST', '/v1/widget/messages', { token: s.token, body: { text: 'again', clientMessageId: id } });
      assert.equal(again.status, 200);
    }
    assert.equal(await Message.countDocuments({ conversationId }), before);

    const conv = await http<{ messages: { author: string; text: string; messageId: string }[] }>(t.baseUrl, 'GET', `/v1/conversations/${encodeURIComponent(conversationId)}`, { token: t.apiKey });
    assert.equal(conv.status, 200);
    const msgs = conv.body.messages;
    assert.equal(msgs.length, state.seq, 'every sequence number is one stored message');
    assert.equal(new Set(msgs.map((m) => m.messageId)).size, msgs.length, 'nothing doubled');
    const customer = msgs.filter((m) => m.author === 'customer').map((m) => m.text);
    assert.deepEqual(customer, Array.from({ length: MESSAGES }, (_, i) => `message number ${i + 1}`), 'nothing lost, in order');

    const ticket = await LocalTicket.findOne({ externalId: `threadline:${conversationId}:1` }).lean();
    assert.ok(ticket, 'handed off after two abstentions');
    const comments = ticket.comments.filter((c) => c.author === 'customer').map((c) => c.body);
    assert.deepEqual(comments, Array.from({ length: MESSAGES - 2 }, (_, i) => `message number ${i + 3}`), 'one comment per message after the handoff');
  });
});
