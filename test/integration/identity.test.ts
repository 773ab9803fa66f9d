// One customer, one history across channels, and never a history for someone who has not proven the identifier.
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { after, before, describe, it } from 'node:test';
import { WorkflowExecutionDescription } from '@temporalio/client';
import { stateQuery, transcriptQuery } from '../../workflows/conversation.messages.ts';
import { http, type TestApp } from '../helpers/app.ts';
import { connectChannel, eventually, post, startKnowledgeApp } from '../helpers/channels.ts';
import { ask, history, newSession } from '../helpers/widget.ts';
import { startSmtpEmulator, type SmtpEmulator } from '../emulators/smtp/index.ts';
import { startTwilioEmulator, type TwilioEmulator } from '../emulators/twilio/index.ts';
import { twilioSignature } from '../emulators/twilio/signature.ts';

const DOMAIN = 'help.identity.test';
const SMS_NUMBER = '+15550005555';

describe('identity graph', () => {
  let t: TestApp;
  let relay: SmtpEmulator;
  let twilio: TwilioEmulator;

  before(async () => {
    relay = await startSmtpEmulator();
    twilio = await startTwilioEmulator();
    t = await startKnowledgeApp({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(relay.port), TWILIO_API_URL: twilio.url });
    await connectChannel(t, 'email', { routingKey: DOMAIN, credentials: { inboundSecret: 'in-secret', fromAddress: `Help <help@${DOMAIN}>` } });
    await connectChannel(t, 'sms', { routingKey: SMS_NUMBER, credentials: { accountSid: twilio.accountSid, authToken: twilio.authToken, from: SMS_NUMBER } });
  });
  after(async () => {
    await t?.stop();
    await relay?.close();
    await twilio?.close();
  });

  const jwt = (claims: Record<string, string>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('10m').sign(new TextEncoder().encode(t.widgetSecret));
  const mail = (from: string, subject: string, body: string, id: string) =>
    post(t, '/v1/channels/email/inbound', [`From: ${from}`, `To: help@${DOMAIN}`, `Subject: ${subject}`, `Message-ID: <${id}>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', body, ''].join('\r\n'), {
      'content-type': 'message/rfc822',
      authorization: 'Bearer in-secret',
    });
  const sms = (from: string, body: string, sid: string) => {
    const params = { MessageSid: sid, From: from, To: SMS_NUMBER, Body: body };
    const url = `${t.baseUrl}/v1/channels/twilio/sms`;
    return post(t, '/v1/channels/twilio/sms', new URLSearchParams(params).toString(), { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(twilio.authToken, url, params) });
  };
  const customer = (id: string) => http<{ identifiers: { kind: string; value: string; verified: boolean }[]; mergedIds: string[]; mergedInto: string | null }>(t.baseUrl, 'GET', `/v1/customers/${id}`, { token: t.apiKey });

  it('a JWT-verified email continues on email: one customer, one conversation, one history', async () => {
    const w = await newSession(t.baseUrl, t.workspaceId, { identityToken: await jwt({ sub: 'user-100', email: 'Lin@Example.com' }) });
    assert.equal(w.verified, true);
    await ask(t.baseUrl, w.token, 'How long does standard shipping take?', 'w1');
    assert.equal((await mail('Lin <lin@example.com>', 'Shipping', 'And is shipping free?', 'lin.1@example.com')).status, 200);
    await eventually('the email answer', () => relay.received.find((m) => m.envelope.to.includes('lin@example.com')));
    const c = (await customer(w.customerId)).body;
    assert.ok(c.identifiers.some((i) => i.kind === 'email' && i.value === 'lin@example.com' && i.verified));
    const h = await history(t.baseUrl, w.token);
    assert.deepEqual(h.map((m) => m.channel), ['web', 'web', 'email', 'email'], 'the widget shows the email exchange');
    // The bot's context on email holds the widget conversation.
    const context = await t.app.services.temporal.workflow.getHandle(`conv:${t.workspaceId}:${w.customerId}`).query(transcriptQuery);
    assert.ok(context.some((e) => e.channel === 'web' && /standard shipping/.test(e.text)));
    assert.equal(await t.app.services.models.Conversation.countDocuments({ workspaceId: t.workspaceId, customerId: w.customerId }), 1);
  });

  it('an anonymous session that signs in as an existing user brings its messages along', async () => {
    const known = await newSession(t.baseUrl, t.workspaceId, { identityToken: await jwt({ sub: 'user-200' }) });
    await ask(t.baseUrl, known.token, 'Is shipping free?', 'k1');
    const anon = await newSession(t.baseUrl, t.workspaceId);
    await ask(t.baseUrl, anon.token, 'Question asked before logging in', 'a1');
    const signedIn = await newSession(t.baseUrl, t.workspaceId, { sessionId: anon.sessionId, identityToken: await jwt({ sub: 'user-200' }) });
    assert.equal(signedIn.customerId, known.customerId, 'the older customer survives');
    const h = await eventually('the joined history', async () => {
      const msgs = await history(t.baseUrl, signedIn.token);
      return msgs.some((m) => m.text === 'Question asked before logging in') ? msgs : undefined;
    });
    assert.ok(h.some((m) => m.text === 'Is shipping free?'));
    assert.deepEqual((await customer(known.customerId)).body.mergedIds, [anon.customerId]);
  });

  it('an email or phone typed in the widget is a claim: no merge, no history, no replies routed there', async () => {
    const owner = await newSession(t.baseUrl, t.workspaceId, { identityToken: await jwt({ sub: 'user-300', email: 'owner@example.com', phone: '+1 (555) 010-7788' }) });
    await ask(t.baseUrl, owner.token, 'My private question about returns', 'o1');
    const ownerHistory = await history(t.baseUrl, owner.token);
    // A stranger claims the owner's email (unsigned) and types the phone number into the chat.
    const stranger = await newSession(t.baseUrl, t.workspaceId, { identity: { userId: 'stranger', email: 'owner@example.com' } });
    assert.equal(stranger.verified, false);
    await ask(t.baseUrl, stranger.token, 'My email is owner@example.com and my phone is +15550107788, show me my history', 's1');
    assert.notEqual(stranger.customerId, owner.customerId);
    const seen = await history(t.baseUrl, stranger.token);
    assert.ok(!seen.some((m) => /private question/.test(m.text)));
    assert.deepEqual(await history(t.baseUrl, owner.token), ownerHistory, "the owner's history is unchanged");
    assert.deepEqual((await customer(owner.customerId)).body.mergedIds, []);
    // The stranger asks for a person and an agent answers: the reply goes to the stranger only.
    const handed = await ask(t.baseUrl, stranger.token, 'I want to talk to a human', 's2');
    assert.ok(['handoff_pending', 'agent'].includes(handed.mode));
    assert.ok(!(await history(t.baseUrl, owner.token)).some((m) => /person on our team/.test(m.text)));
  });

  it('an SMS from a phone a verified customer owns continues their conversation', async () => {
    const w = await newSession(t.baseUrl, t.workspaceId, { identityToken: await jwt({ sub: 'user-400', phone: '+1 555 010 4400' }) });
    await ask(t.baseUrl, w.token, 'How many days do I have to return something?', 'p1');
    assert.equal((await sms('+15550104400', 'And how long until I get my refund?', 'SM0000000000000000000000000000id01')).status, 200);
    await eventually('the SMS answer', () => twilio.received.find((m) => m.to === '+15550104400'));
    const h = await history(t.baseUrl, w.token);
    assert.deepEqual(h.map((m) => m.channel), ['web', 'web', 'sms', 'sms']);
  });

  it('two merges of the same pair racing leave one survivor, every message, one open conversation', async () => {
    const a = await newSession(t.baseUrl, t.workspaceId, { identityToken: await jwt({ sub: 'user-500' }) });
    await ask(t.baseUrl, a.token, 'First customer question', 'r1');
    const b = await newSession(t.baseUrl, t.workspaceId, { identityToken: await jwt({ sub: 'user-501' }) });
    await ask(t.baseUrl, b.token, 'Second customer question', 'r2');
    const [x, y] = await Promise.all([
      http<{ survivorId: string }>(t.baseUrl, 'POST', `/v1/customers/${a.customerId}/merge`, { token: t.apiKey, body: { otherCustomerId: b.customerId } }),
      http<{ survivorId: string }>(t.baseUrl, 'POST', `/v1/customers/${b.customerId}/merge`, { token: t.apiKey, body: { otherCustomerId: a.customerId } }),
    ]);
    assert.equal(x.status, 200, JSON.stringify(x.body));
    assert.equal(y.status, 200, JSON.stringify(y.body));
    assert.equal(x.body.survivorId, a.customerId);
    assert.equal(y.body.survivorId, a.customerId);
    assert.equal((await customer(b.customerId)).body.mergedInto, a.customerId);
    const survivorConv = `conv:${t.workspaceId}:${a.customerId}`;
    const texts = await eventually('the merged transcript', async () => {
      const msgs = await t.app.services.models.Message.find({ conversationId: survivorConv }).lean();
      return msgs.some((m) => m.text === 'Second customer question') ? msgs.map((m) => m.text) : undefined;
    });
    assert.equal(texts.filter((x) => x === 'Second customer question').length, 1, 'copied once');
    assert.ok(texts.includes('First customer question'));
    const other: WorkflowExecutionDescription = await eventually('the other conversation to complete', async () => {
      const d = await t.app.services.temporal.workflow.getHandle(`conv:${t.workspaceId}:${b.customerId}`).describe();
      return d.status.name === 'COMPLETED' ? d : undefined;
    });
    assert.equal(other.status.name, 'COMPLETED');
    assert.equal((await t.app.services.temporal.workflow.getHandle(survivorConv).describe()).status.name, 'RUNNING');
    // B's browser now talks to the survivor's conversation.
    const again = await ask(t.baseUrl, b.token, 'Where is my order?', 'r3');
    assert.equal(again.conversationId, survivorConv);
    const state = await t.app.services.temporal.workflow.getHandle(survivorConv).query(stateQuery);
    assert.ok(state.seq >= 6);
  });
});
