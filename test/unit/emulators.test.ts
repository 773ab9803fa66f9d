import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { ErrorCode, WebClient, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import nodemailer from 'nodemailer';
import twilio from 'twilio';
import { startGraphEmulator } from '../emulators/graph/index.ts';
import { startSlackEmulator } from '../emulators/slack/index.ts';
import { startSmtpEmulator } from '../emulators/smtp/index.ts';
import { startTwilioEmulator } from '../emulators/twilio/index.ts';

/** The SDK has no base-URL option; its API domain object carries the base URL. */
function twilioClient(url: string, sid: string, token: string) {
  const client = twilio(sid, token);
  client.api.baseUrl = url;
  return client;
}

test('twilio: the SDK sends through the emulator, which records the message', async (t) => {
  const emulator = await startTwilioEmulator();
  t.after(() => emulator.close());
  const client = twilioClient(emulator.url, emulator.accountSid, emulator.authToken);
  const message = await client.messages.create({ to: '+15555550100', from: '+15555550199', body: 'Your order shipped.' });
  assert.match(message.sid, /^SM[0-9a-f]{32}$/);
  assert.equal(message.status, 'queued');
  assert.equal(message.numSegments, '1');
  assert.ok(message.dateCreated instanceof Date && !Number.isNaN(message.dateCreated.getTime()));
  assert.deepEqual(
    emulator.received.map((m) => [m.to, m.from, m.body]),
    [['+15555550100', '+15555550199', 'Your order shipped.']],
  );
  const fetched = await client.messages(message.sid).fetch();
  assert.equal(fetched.sid, message.sid);
});

test('twilio: wrong credentials get error 20003; a 429 carries Retry-After', async (t) => {
  const emulator = await startTwilioEmulator();
  t.after(() => emulator.close());
  const wrong = twilioClient(emulator.url, emulator.accountSid, 'not-the-token');
  await assert.rejects(wrong.messages.create({ to: '+15555550100', from: '+15555550199', body: 'x' }), (err: { status?: number; code?: number }) => err.status === 401 && err.code === 20003);

  emulator.failNext(1, { status: 429, retryAfter: 5 });
  const auth = `Basic ${Buffer.from(`${emulator.accountSid}:${emulator.authToken}`).toString('base64')}`;
  const res = await fetch(`${emulator.url}/2010-04-01/Accounts/${emulator.accountSid}/Messages.json`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ To: '+15555550100', From: '+15555550199', Body: 'x' }),
  });
  assert.equal(res.status, 429);
  assert.equal(res.headers.get('retry-after'), '5');
  assert.equal(((await res.json()) as { code: number }).code, 20429);
  assert.equal(emulator.received.length, 0);
});

test('twilio: deliver() posts a status callback signed the way the SDK validates', async (t) => {
  const callbacks: { signature: string; params: Record<string, string> }[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      callbacks.push({ signature: String(req.headers['x-twilio-signature']), params: Object.fromEntries(new URLSearchParams(body)) });
      res.end('<Response/>');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const emulator = await startTwilioEmulator();
  t.after(async () => {
    await emulator.close();
    receiver.close();
  });
  const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/channels/twilio/status?ws=acme`;
  const client = twilioClient(emulator.url, emulator.accountSid, emulator.authToken);
  const message = await client.messages.create({ to: '+15555550100', from: '+15555550199', body: 'hi', statusCallback: callbackUrl });
  assert.equal((await emulator.deliver(message.sid, 'delivered'))?.status, 200);
  assert.equal(callbacks.length, 1);
  const { signature, params } = callbacks[0]!;
  assert.equal(params.MessageSid, message.sid);
  assert.equal(params.MessageStatus, 'delivered');
  assert.ok(twilio.validateRequest(emulator.authToken, signature, callbackUrl, params));
  assert.equal(emulator.received[0]?.status, 'delivered');
});

test('graph: WhatsApp Cloud API and Send API answers, a bad token, and throttling as HTTP 400', async (t) => {
  const emulator = await startGraphEmulator();
  t.after(() => emulator.close());
  const whatsapp = (token: string) =>
    fetch(`${emulator.url}/v21.0/1234567890/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '+1 555 555 0100', type: 'text', text: { body: 'Hello' } }),
    });

  const ok = await whatsapp(emulator.accessToken);
  assert.equal(ok.status, 200);
  const answer = (await ok.json()) as { messaging_product: string; contacts: { input: string; wa_id: string }[]; messages: { id: string }[] };
  assert.equal(answer.messaging_product, 'whatsapp');
  assert.deepEqual(answer.contacts, [{ input: '+1 555 555 0100', wa_id: '15555550100' }]);
  assert.match(answer.messages[0]?.id ?? '', /^wamid\./);

  const denied = await whatsapp('expired');
  assert.equal(denied.status, 401);
  const deniedBody = (await denied.json()) as { error: { type: string; code: number; fbtrace_id: string } };
  assert.equal(deniedBody.error.type, 'OAuthException');
  assert.equal(deniedBody.error.code, 190);
  assert.ok(deniedBody.error.fbtrace_id);

  emulator.failNext(1, { status: 429, retryAfter: 2 });
  const throttled = await whatsapp(emulator.accessToken);
  assert.equal(throttled.status, 400);
  assert.equal(throttled.headers.get('retry-after'), '2');
  assert.equal(((await throttled.json()) as { error: { code: number } }).error.code, 130429);

  const sent = await fetch(`${emulator.url}/v21.0/me/messages?access_token=${emulator.accessToken}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ recipient: { id: 'PSID-42' }, messaging_type: 'RESPONSE', message: { text: 'Hi' } }),
  });
  const sendAnswer = (await sent.json()) as { recipient_id: string; message_id: string };
  assert.equal(sendAnswer.recipient_id, 'PSID-42');
  assert.ok(sendAnswer.message_id);
  assert.deepEqual(emulator.received.map((r) => [r.api, r.nodeId]), [['whatsapp', '1234567890'], ['send', 'me']]);
  assert.deepEqual(emulator.requests.map((r) => r.status), [200, 401, 400, 200]);
});

test('slack: chat.postMessage through @slack/web-api, invalid_auth, and a 429 with Retry-After', async (t) => {
  const emulator = await startSlackEmulator();
  t.after(() => emulator.close());
  const options = { slackApiUrl: `${emulator.url}/api/`, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true };
  const slack = new WebClient(emulator.token, options);

  const posted = await slack.chat.postMessage({ channel: 'C0123', text: 'Hello *there*', thread_ts: '1700000000.000100' });
  assert.equal(posted.ok, true);
  assert.equal(posted.channel, 'C0123');
  assert.match(posted.ts ?? '', /^\d+\.\d{6}$/);
  assert.equal(posted.message?.thread_ts, '1700000000.000100');
  assert.deepEqual(emulator.received.map((m) => [m.channel, m.text, m.threadTs]), [['C0123', 'Hello *there*', '1700000000.000100']]);

  const intruder = new WebClient('xoxb-wrong', options);
  await assert.rejects(intruder.chat.postMessage({ channel: 'C0123', text: 'x' }), (err: WebAPIPlatformError) => err.code === ErrorCode.PlatformError && err.data.error === 'invalid_auth');

  emulator.failNext(1, { status: 429, retryAfter: 7 });
  await assert.rejects(slack.chat.postMessage({ channel: 'C0123', text: 'x' }), (err: WebAPIRateLimitedError) => err.code === ErrorCode.RateLimitedError && err.retryAfter === 7);
  assert.equal(emulator.received.length, 1);
});

test('smtp: nodemailer delivers to the sink; bad credentials and a 451 are refused', async (t) => {
  const emulator = await startSmtpEmulator({ auth: { user: 'relay', pass: 'secret' } });
  t.after(() => emulator.close());
  const transport = (pass: string) => nodemailer.createTransport({ host: emulator.host, port: emulator.port, secure: false, auth: { user: 'relay', pass } });
  const mail = { from: 'support@acme.test', to: 'jane@example.com', subject: 'Hello', text: 'plain', html: '<p>html</p>' };

  const good = transport('secret');
  t.after(() => good.close());
  await good.sendMail(mail);
  assert.equal(emulator.received.length, 1);
  assert.equal(emulator.received[0]?.parsed.subject, 'Hello');
  assert.deepEqual(emulator.received[0]?.envelope.to, ['jane@example.com']);

  const bad = transport('wrong');
  t.after(() => bad.close());
  await assert.rejects(bad.sendMail(mail), (err: { code?: string; responseCode?: number }) => err.code === 'EAUTH' && err.responseCode === 535);

  emulator.failNext(1, { code: 451 });
  await assert.rejects(good.sendMail(mail), (err: { responseCode?: number }) => err.responseCode === 451);
  await good.sendMail(mail);
  assert.equal(emulator.received.length, 2);
});
