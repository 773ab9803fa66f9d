// WhatsApp Cloud API end to end: handshake, signed messages, bursts answered once, the 24-hour window.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agentMessageSignal } from '../../workflows/conversation.messages.ts';
import type { TestApp } from '../helpers/app.ts';
import { connectChannel, eventually, metaSignature, post, startKnowledgeApp } from '../helpers/channels.ts';
import { startGraphEmulator, type GraphEmulator } from '../emulators/graph/index.ts';

const PHONE_NUMBER_ID = '109876543210';
const APP_SECRET = 'wa-app-secret';
const path = '/v1/channels/whatsapp/webhook';

function payload(from: string, messages: Record<string, unknown>[]) {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550002222', phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ profile: { name: 'Ana Müller' }, wa_id: from }],
              messages,
            },
          },
        ],
      },
    ],
  });
}
const text = (from: string, id: string, body: string) => ({ from, id, timestamp: '1795500000', type: 'text', text: { body } });

describe('WhatsApp', () => {
  let t: TestApp;
  let graph: GraphEmulator;
  const send = (body: string, secret = APP_SECRET) => post(t, path, body, { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(secret, body) });
  const to = (wa: string) => graph.received.filter((r) => r.api === 'whatsapp' && r.body.to === wa);

  before(async () => {
    graph = await startGraphEmulator();
    t = await startKnowledgeApp({ GRAPH_API_URL: graph.url, WHATSAPP_WINDOW_SECONDS: '3' });
    await connectChannel(t, 'whatsapp', {
      routingKey: PHONE_NUMBER_ID,
      credentials: { appSecret: APP_SECRET, verifyToken: 'verify-me', accessToken: graph.accessToken },
      settings: { template: { name: 'conversation_follow_up', languageCode: 'en_US' } },
    });
  });
  after(async () => {
    await t?.stop();
    await graph?.close();
  });

  it('answers the verify handshake only with the right token', async () => {
    const ok = await fetch(`${t.baseUrl}${path}?account=${PHONE_NUMBER_ID}&hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444`);
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), '1158201444');
    const bad = await fetch(`${t.baseUrl}${path}?account=${PHONE_NUMBER_ID}&hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`);
    assert.equal(bad.status, 403);
  });

  it('answers a signed message from the help center, formatted for WhatsApp', async () => {
    const wa = '15551230001';
    const body = payload(wa, [text(wa, 'wamid.A1', 'Do you ship to Germany, and will I pay customs on delivery?')]);
    assert.equal((await send(body)).status, 200);
    const [reply] = await eventually('the WhatsApp reply', () => (to(wa).length ? to(wa) : undefined));
    const sent = reply!.body as { type: string; text: { body: string } };
    assert.equal(sent.type, 'text');
    assert.match(sent.text.body, /Delivered Duty Paid/);
    assert.ok(sent.text.body.length <= 4096);
    assert.ok(!sent.text.body.includes('**'), 'WhatsApp bold is *single*');
    // A replay of the same webhook is not a second message.
    assert.equal((await send(body)).status, 200);
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(to(wa).length, 1);
  });

  it('answers three messages sent within one second once', async () => {
    const wa = '15551230002';
    for (const [i, q] of ['Hi', 'I have a question', 'How many days do I have to return something?'].entries()) {
      assert.equal((await send(payload(wa, [text(wa, `wamid.B${i}`, q)]))).status, 200);
      await new Promise((r) => setTimeout(r, 150));
    }
    await eventually('one reply', () => to(wa).length === 1);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(to(wa).length, 1, 'one answer for the burst');
    assert.match((to(wa)[0]!.body as { text: { body: string } }).text.body, /60 days/);
  });

  it('records media as references', async () => {
    const wa = '15551230003';
    const image = { from: wa, id: 'wamid.C1', type: 'image', image: { id: 'MEDIA123', mime_type: 'image/jpeg', caption: 'my torn tent' } };
    assert.equal((await send(payload(wa, [image]))).status, 200);
    const stored = await eventually('the stored message', () => t.app.services.models.Message.findOne({ messageId: 'whatsapp:wamid.C1' }).lean());
    assert.equal(stored.text, 'my torn tent');
    assert.deepEqual((stored.meta as { attachments: { ref: string }[] }).attachments.map((a) => a.ref), ['MEDIA123']);
  });

  it('sends a later reply as a template once the 24-hour window (3 s here) has closed', async () => {
    const wa = '15551230004';
    assert.equal((await send(payload(wa, [text(wa, 'wamid.D1', 'Is shipping free?')]))).status, 200);
    await eventually('the bot reply', () => to(wa).length === 1);
    const owner = await t.app.services.models.IdentifierOwner.findOne({ workspaceId: t.workspaceId, kind: 'whatsapp', value: wa }).lean();
    const handle = t.app.services.temporal.workflow.getHandle(`conv:${t.workspaceId}:${owner!.customerId}`);
    await new Promise((r) => setTimeout(r, 3500));
    await handle.signal(agentMessageSignal, { messageId: 'agent:1', text: 'Following up on your question.', at: new Date().toISOString() });
    await eventually('the template', () => to(wa).length === 2);
    const later = to(wa)[1]!.body as { type: string; template?: { name: string } };
    assert.equal(later.type, 'template');
    assert.equal(later.template?.name, 'conversation_follow_up');
    const row = await t.app.services.models.Outbox.findById('agent:1|whatsapp').lean();
    assert.equal(row?.via, 'template');
  });

  it('refuses a bad signature and a re-serialized body', async () => {
    const wa = '15551230005';
    const body = payload(wa, [text(wa, 'wamid.E1', 'Grüße — “quotes” / slashes')]);
    assert.equal((await send(body, 'wrong-secret')).status >= 401, true);
    // Meta escapes non-ASCII and slashes; a signature over other bytes must not verify.
    const reserialized = JSON.stringify(JSON.parse(body)).replace(/\//g, '\\/');
    const r = await post(t, path, reserialized, { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(APP_SECRET, body) });
    assert.ok([401, 403].includes(r.status));
    const missing = await post(t, path, body, { 'content-type': 'application/json' });
    assert.ok([401, 403].includes(missing.status));
    await new Promise((res) => setTimeout(res, 500));
    assert.equal(to(wa).length, 0);
  });
});
