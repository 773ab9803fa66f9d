// SMS through Twilio, end to end: a signed webhook in, a grounded plain-text answer out at the Twilio emulator.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SegmentedMessage } from 'sms-segments-calculator';
import type { TestApp } from '../helpers/app.ts';
import { connectChannel, eventually, noMarkdown, post, startKnowledgeApp } from '../helpers/channels.ts';
import { startTwilioEmulator, type TwilioEmulator } from '../emulators/twilio/index.ts';
import { twilioSignature } from '../emulators/twilio/signature.ts';

const NUMBER = '+15550001111';

describe('SMS (Twilio)', () => {
  let t: TestApp;
  let twilio: TwilioEmulator;
  const path = '/v1/channels/twilio/sms';

  before(async () => {
    twilio = await startTwilioEmulator();
    t = await startKnowledgeApp({ TWILIO_API_URL: twilio.url });
    await connectChannel(t, 'sms', { routingKey: NUMBER, credentials: { accountSid: twilio.accountSid, authToken: twilio.authToken, from: NUMBER } });
  });
  after(async () => {
    await t?.stop();
    await twilio?.close();
  });

  function signed(params: Record<string, string>, token = twilio.authToken) {
    const url = `${t.baseUrl}${path}`;
    return { body: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(token, url, params) } };
  }

  it('answers a signed SMS from the help center, as plain text within the segment cap', async () => {
    const from = '+15557770001';
    const m = signed({ MessageSid: 'SM00000000000000000000000000000001', AccountSid: twilio.accountSid, From: from, To: NUMBER, Body: 'How long does standard shipping take?', NumMedia: '0' });
    const res = await post(t, path, m.body, m.headers);
    assert.equal(res.status, 200);
    assert.match(res.type ?? '', /xml/);
    assert.match(res.text, /<Response><\/Response>/);
    const sms = await eventually('the SMS reply', () => twilio.received.find((x) => x.to === from));
    assert.equal(sms.from, NUMBER);
    assert.match(sms.body, /3 to 5 business days/);
    assert.ok(noMarkdown(sms.body), sms.body);
    assert.ok(new SegmentedMessage(sms.body).segmentsCount <= 3);

    // The same webhook again (Twilio retries): one message, one reply.
    const again = await post(t, path, m.body, m.headers);
    assert.equal(again.status, 200);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(twilio.received.filter((x) => x.to === from).length, 1);

    const conv = await t.app.services.models.Conversation.findOne({ workspaceId: t.workspaceId, lastChannel: 'sms' }).lean();
    assert.ok(conv);
    assert.equal(await t.app.services.models.Message.countDocuments({ conversationId: conv._id }), 2);
  });

  it('keeps a long answer within three segments', async () => {
    const from = '+15557770002';
    const m = signed({ MessageSid: 'SM00000000000000000000000000000002', From: from, To: NUMBER, Body: 'Tell me everything about returns, refunds, exchanges and what cannot be returned' });
    assert.equal((await post(t, path, m.body, m.headers)).status, 200);
    const sms = await eventually('the SMS reply', () => twilio.received.find((x) => x.to === from));
    const segments = new SegmentedMessage(sms.body);
    assert.ok(segments.segmentsCount <= 3, `${segments.segmentsCount} segments: ${sms.body}`);
    assert.ok(noMarkdown(sms.body));
  });

  it('refuses bad, missing and forged signatures and starts nothing', async () => {
    const from = '+15557770003';
    const params = { MessageSid: 'SM00000000000000000000000000000003', From: from, To: NUMBER, Body: 'hello' };
    const forged = signed(params, 'not-the-token');
    assert.ok([401, 403].includes((await post(t, path, forged.body, forged.headers)).status));
    const good = signed(params);
    assert.ok([401, 403].includes((await post(t, path, good.body, { 'content-type': good.headers['content-type'] })).status));
    const tampered = signed(params);
    assert.ok([401, 403].includes((await post(t, path, tampered.body.replace('hello', 'HELLO'), tampered.headers)).status));
    const unknown = signed({ ...params, To: '+15550009999' });
    assert.equal((await post(t, path, unknown.body, unknown.headers)).status, 404);
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(twilio.received.filter((x) => x.to === from).length, 0);
    assert.equal(await t.app.services.models.IdentifierOwner.countDocuments({ workspaceId: t.workspaceId, value: from }), 0);
  });

  it('records delivery status callbacks on the outbox', async () => {
    const sent = twilio.received[0]!;
    const row = await eventually('the outbox row', () => t.app.services.models.Outbox.findOne({ vendorMessageId: sent.sid }).lean());
    assert.equal(row.status, 'sent');
    const params = { MessageSid: sent.sid, MessageStatus: 'delivered', AccountSid: twilio.accountSid, From: NUMBER, To: sent.to };
    const cb = signed(params);
    assert.equal((await post(t, path, cb.body, cb.headers)).status, 200);
    const updated = await eventually('delivered', async () => {
      const r = await t.app.services.models.Outbox.findOne({ vendorMessageId: sent.sid }).lean();
      return r?.status === 'delivered' ? r : undefined;
    });
    assert.equal(updated.status, 'delivered');
  });

  it('retries a rate-limited send after Retry-After and sends once', async () => {
    twilio.failNext(2, { status: 429, retryAfter: 1 });
    const from = '+15557770004';
    const m = signed({ MessageSid: 'SM00000000000000000000000000000004', From: from, To: NUMBER, Body: 'Is shipping free?' });
    assert.equal((await post(t, path, m.body, m.headers)).status, 200);
    const sms = await eventually('the SMS reply after the rate limit', () => twilio.received.find((x) => x.to === from), 30_000);
    assert.match(sms.body, /\$75/);
    assert.equal(twilio.received.filter((x) => x.to === from).length, 1);
    assert.ok(twilio.requests.filter((r) => r.status === 429).length >= 2);
  });

  it('records a delivery that finally fails on the outbox and in the conversation', async () => {
    // Another workspace whose Twilio credentials the vendor refuses (401): not retryable, so it fails at once.
    const { createWorkspace } = await import('../../api/workspaces.ts');
    const other = await createWorkspace(t.app.services.models, `ws-bad-${Date.now().toString(36)}`, 'Bad credentials');
    const number = '+15550003333';
    const badToken = 'wrong-auth-token';
    const put = await fetch(`${t.baseUrl}/v1/workspace/channels/sms`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${other.apiKey}` },
      body: JSON.stringify({ routingKey: number, credentials: { accountSid: twilio.accountSid, authToken: badToken, from: number } }),
    });
    assert.equal(put.status, 200);
    const from = '+15557770005';
    const m = signed({ MessageSid: 'SM00000000000000000000000000000005', From: from, To: number, Body: 'Is shipping free?' }, badToken);
    assert.equal((await post(t, path, m.body, m.headers)).status, 200);
    const failed = await eventually('the failed delivery', () => t.app.services.models.Outbox.findOne({ workspaceId: other.id, status: 'failed' }).lean());
    assert.match(failed.error ?? '', /401|auth/i);
    const note = await eventually('the system note', () => t.app.services.models.Message.findOne({ workspaceId: other.id, author: 'system' }).lean());
    assert.match(note.text, /Delivery on sms failed/);
    assert.equal(twilio.received.filter((x) => x.to === from).length, 0);
  });
});
