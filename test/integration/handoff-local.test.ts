// Handoff to the built-in inbox: the ticket carries the transcript, the bot goes silent, the SLA fires once,
// agent replies reach the customer where they are, solve resolves and a new message reopens.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { agentMessageSignal, stateQuery } from '../../workflows/conversation.messages.ts';
import { http, type TestApp } from '../helpers/app.ts';
import { connectChannel, eventually, post, startKnowledgeApp } from '../helpers/channels.ts';
import { fixtureDir } from '../helpers/fixtureSite.ts';
import { ask, history, newSession, type WidgetReply } from '../helpers/widget.ts';
import { startTwilioEmulator, type TwilioEmulator } from '../emulators/twilio/index.ts';
import { twilioSignature } from '../emulators/twilio/signature.ts';

interface Ticket {
  id: string;
  status: string;
  priority: string;
  conversationId: string;
  transcript: { author: string; text: string }[];
  comments: { body: string; public: boolean; author: string }[];
}

describe('handoff to the built-in inbox', () => {
  let t: TestApp;
  let twilio: TwilioEmulator;
  const SMS_NUMBER = '+15550004444';

  before(async () => {
    twilio = await startTwilioEmulator();
    t = await startKnowledgeApp({ TWILIO_API_URL: twilio.url });
    const put = await http(t.baseUrl, 'PUT', '/v1/workspace/settings', { token: t.apiKey, body: { handoff: { firstResponseSlaSeconds: 2 }, businessHours: { days: [0, 1, 2, 3, 4, 5, 6], start: '00:00', end: '23:59' } } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    await connectChannel(t, 'sms', { routingKey: SMS_NUMBER, credentials: { accountSid: twilio.accountSid, authToken: twilio.authToken, from: SMS_NUMBER } });
  });
  after(async () => {
    await t?.stop();
    await twilio?.close();
  });

  const ticketFor = async (conversationId: string) => {
    const list = await http<{ tickets: { id: string }[] }>(t.baseUrl, 'GET', '/v1/inbox/tickets', { token: t.apiKey });
    for (const row of list.body.tickets) {
      const d = await http<Ticket>(t.baseUrl, 'GET', `/v1/inbox/tickets/${row.id}`, { token: t.apiKey });
      if (d.body.conversationId === conversationId) return d.body;
    }
    return undefined;
  };

  it('hands off when asked, with the whole transcript, and keeps the bot silent', async () => {
    const s = await newSession(t.baseUrl, t.workspaceId);
    const first = await ask(t.baseUrl, s.token, 'How long does standard shipping take?', 'm1');
    assert.equal(first.mode, 'bot');
    const r = await ask(t.baseUrl, s.token, 'I want to talk to a human', 'm2');
    assert.ok(['handoff_pending', 'agent'].includes(r.mode), r.mode);
    assert.match(r.reply?.text ?? '', /person on our team/);
    const ticket = await eventually('the ticket', () => ticketFor(r.conversationId));
    assert.equal(ticket.status, 'new');
    const note = ticket.comments.find((c) => !c.public)?.body ?? '';
    assert.match(note, /How long does standard shipping take\?/);
    assert.match(note, /3 to 5 business days/, 'the bot answer is in the transcript');
    assert.match(note, /I want to talk to a human/);

    const quiet = await ask(t.baseUrl, s.token, 'Also, my order number is 12345', 'm3');
    assert.equal(quiet.reply, undefined, 'no bot answer in agent mode');
    const after = await eventually('the comment', async () => {
      const tk = await ticketFor(r.conversationId);
      return tk?.comments.some((c) => c.body === 'Also, my order number is 12345') ? tk : undefined;
    });
    assert.equal(after.comments.filter((c) => c.body === 'Also, my order number is 12345').length, 1);

    // The first-response SLA (2 s here) fires once: one update to the customer and a higher priority.
    const raised = await eventually('the SLA', async () => {
      const tk = await ticketFor(r.conversationId);
      return tk?.priority === 'high' ? tk : undefined;
    });
    assert.equal(raised.priority, 'high');
    await new Promise((res) => setTimeout(res, 2500));
    const h = await history(t.baseUrl, s.token);
    assert.equal(h.filter((m) => /raised the priority/.test(m.text)).length, 1);

    // An internal note stays in the help desk; a public reply reaches the widget's history; solve resolves.
    const ticketId = raised.id;
    assert.equal((await http(t.baseUrl, 'POST', `/v1/inbox/tickets/${ticketId}/replies`, { token: t.apiKey, body: { text: 'internal: check order', public: false } })).status, 201);
    assert.equal((await http(t.baseUrl, 'POST', `/v1/inbox/tickets/${ticketId}/replies`, { token: t.apiKey, body: { text: 'Hi, Sam here. Your order ships today.' } })).status, 201);
    await eventually('the agent reply in the history', async () => (await history(t.baseUrl, s.token)).some((m) => m.author === 'agent' && /Sam here/.test(m.text)));
    assert.ok(!(await history(t.baseUrl, s.token)).some((m) => /internal: check order/.test(m.text)));

    // A redelivered agent message changes nothing.
    const handle = t.app.services.temporal.workflow.getHandle(r.conversationId);
    for (let i = 0; i < 2; i++) await handle.signal(agentMessageSignal, { messageId: 'agent:local:dup-1', text: 'Only once, please.', at: new Date().toISOString() });
    await eventually('the agent message', async () => (await history(t.baseUrl, s.token)).some((m) => m.text === 'Only once, please.'));
    await new Promise((res) => setTimeout(res, 500));
    assert.equal((await history(t.baseUrl, s.token)).filter((m) => m.text === 'Only once, please.').length, 1);

    assert.equal((await http(t.baseUrl, 'POST', `/v1/inbox/tickets/${ticketId}/status`, { token: t.apiKey, body: { status: 'solved' } })).status, 200);
    await eventually('resolved', async () => (await handle.query(stateQuery)).mode === 'resolved');
    assert.ok((await history(t.baseUrl, s.token)).some((m) => /marked your request as solved/.test(m.text)));

    // A new message reopens the ticket.
    const again = await ask(t.baseUrl, s.token, 'Actually, one more thing', 'm4');
    assert.equal(again.mode, 'agent');
    const reopened = await eventually('reopened', async () => {
      const tk = await ticketFor(r.conversationId);
      return tk?.status === 'open' ? tk : undefined;
    });
    assert.ok(reopened.comments.some((c) => c.body === 'Actually, one more thing'));
  });

  it('hands off every message of handoff.json (offering a person where the bot has no answer), and no question of questions.json', async () => {
    const cases = JSON.parse(readFileSync(join(fixtureDir, 'handoff.json'), 'utf8')) as { message: string; why: string }[];
    for (const [i, c] of cases.entries()) {
      const s = await newSession(t.baseUrl, t.workspaceId);
      let r: WidgetReply = await ask(t.baseUrl, s.token, c.message, `h${i}`);
      if (r.mode === 'bot') {
        // No answer in the help center: the bot says so and offers a person; accepting hands off.
        assert.match(r.reply?.text ?? '', /person|human|team/i, c.message);
        assert.equal(r.reply?.citations.length, 0, c.message);
        r = await ask(t.baseUrl, s.token, 'yes please', `h${i}-yes`);
      }
      assert.ok(['handoff_pending', 'agent'].includes(r.mode), `${c.message} → ${r.mode}`);
    }
    const questions = JSON.parse(readFileSync(join(fixtureDir, 'questions.json'), 'utf8')) as { question: string }[];
    for (const [i, q] of questions.entries()) {
      const s = await newSession(t.baseUrl, t.workspaceId);
      const r = await ask(t.baseUrl, s.token, q.question, `q${i}`);
      assert.equal(r.mode, 'bot', q.question);
    }
  });

  it('hands off by API call', async () => {
    const s = await newSession(t.baseUrl, t.workspaceId);
    const r = await ask(t.baseUrl, s.token, 'Is shipping free?', 'm1');
    const res = await http(t.baseUrl, 'POST', `/v1/conversations/${encodeURIComponent(r.conversationId)}/handoff`, { token: t.apiKey, body: { reason: 'vip customer' } });
    assert.equal(res.status, 202);
    await eventually('the ticket', () => ticketFor(r.conversationId));
    const other = await http(t.baseUrl, 'POST', `/v1/conversations/${encodeURIComponent('conv:nope:nobody')}/handoff`, { token: t.apiKey });
    assert.equal(other.status, 404);
  });

  it("delivers the agent's reply as SMS to an SMS customer", async () => {
    const from = '+15557779001';
    const params = { MessageSid: 'SM0000000000000000000000000000h001', From: from, To: SMS_NUMBER, Body: 'Can I speak to a real person please?' };
    const url = `${t.baseUrl}/v1/channels/twilio/sms`;
    const res = await post(t, '/v1/channels/twilio/sms', new URLSearchParams(params).toString(), { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(twilio.authToken, url, params) });
    assert.equal(res.status, 200);
    await eventually('the handoff notice by SMS', () => twilio.received.find((m) => m.to === from && /person on our team/.test(m.body)));
    const owner = await t.app.services.models.IdentifierOwner.findOne({ workspaceId: t.workspaceId, kind: 'phone', value: from }).lean();
    const ticket = await eventually('the ticket', () => ticketFor(`conv:${t.workspaceId}:${owner!.customerId}`));
    assert.equal((await http(t.baseUrl, 'POST', `/v1/inbox/tickets/${ticket.id}/replies`, { token: t.apiKey, body: { text: 'Hello from the **support** team!' } })).status, 201);
    const sms = await eventually('the agent reply by SMS', () => twilio.received.find((m) => m.to === from && /support/.test(m.body)));
    assert.equal(sms.body.includes('**'), false, 'plain text on SMS');
  });
});
