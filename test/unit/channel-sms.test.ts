import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { SegmentedMessage } from 'sms-segments-calculator';
import twilio from 'twilio';
import { format, smsSegments } from '../../integrations/channels/sms/format.ts';
import { TwilioSender } from '../../integrations/channels/sms/sender.ts';
import { twilioSignature, verifyTwilioSignature } from '../../integrations/channels/sms/signature.ts';
import { twilioSmsWebhook } from '../../integrations/channels/sms/webhook.ts';
import type { ChannelConfig, RawWebhook } from '../../integrations/channels/types.ts';
import { IntegrationError } from '../../integrations/types.ts';

const ACCOUNT_SID = 'AC' + '0123456789abcdef'.repeat(2);
const AUTH_TOKEN = 'twilio-auth-token';
const config: ChannelConfig = {
  workspaceId: 'acme',
  channel: 'sms',
  routingKey: '+15005550006',
  credentials: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006' },
  settings: {},
};
const URL_ = 'https://hub.example.com/v1/channels/twilio/sms';

function signedForm(fields: Record<string, string>, token = AUTH_TOKEN, url = URL_): RawWebhook {
  const body = new URLSearchParams(fields).toString();
  return {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(token, url, Object.entries(fields)) },
    rawBody: Buffer.from(body),
    query: {},
  };
}

// Twilio's webhook-security guide: auth token 12345, this URL and these parameters. The guide has printed the
// example with two sets of phone numbers over the years; both expected values were recomputed here and also
// match the official twilio SDK's validateRequest.
const DOC_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const docParams = (phone: string) => ({ CallSid: 'CA1234567890ABCDE', Caller: phone, Digits: '1234', From: phone, To: '+18005551212' });

test("Twilio's documented signature examples verify", () => {
  for (const [phone, expected] of [['+14158675310', 'GvWf1cFY/Q7PnoempGyD5oXAezc='], ['+12349013030', '0/KCTR6DLpKmkAf8muzZqo1nDgQ=']] as const) {
    const params = docParams(phone);
    assert.equal(twilioSignature('12345', DOC_URL, Object.entries(params)), expected);
    assert.ok(twilio.validateRequest('12345', expected, DOC_URL, params), 'the SDK agrees');
    assert.ok(verifyTwilioSignature('12345', DOC_URL, Object.entries(params), expected));
    assert.ok(!verifyTwilioSignature('12345', DOC_URL, Object.entries({ ...params, Digits: '9999' }), expected), 'tampered param');
    assert.ok(!verifyTwilioSignature('54321', DOC_URL, Object.entries(params), expected), 'other token');
    assert.ok(!verifyTwilioSignature('12345', DOC_URL, Object.entries(params), expected.slice(0, -1)), 'one byte short');
  }
});

test('the webhook verifies the signature over the public URL and every posted field', () => {
  const fields = { MessageSid: 'SM1', From: '+14155550100', To: '+15005550006', Body: 'hi', NumMedia: '0' };
  assert.deepEqual(twilioSmsWebhook.verify(signedForm(fields), config, new Date()), { ok: true });
  // A proxy may add or drop the default port; Twilio's own libraries accept both forms.
  assert.deepEqual(twilioSmsWebhook.verify({ ...signedForm(fields), url: 'https://hub.example.com:443/v1/channels/twilio/sms' }, config, new Date()), { ok: true });
  const bad = twilioSmsWebhook.verify(signedForm(fields, 'wrong-token'), config, new Date());
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.status, 401);
  const missing = signedForm(fields);
  delete missing.headers['x-twilio-signature'];
  assert.equal(twilioSmsWebhook.verify(missing, config, new Date()).ok, false);
  const otherUrl = { ...signedForm(fields), url: 'https://evil.example.com/v1/channels/twilio/sms' };
  assert.equal(twilioSmsWebhook.verify(otherUrl, config, new Date()).ok, false);
});

test('an inbound MMS becomes a message from an E.164 phone with its media', () => {
  const req = signedForm({
    ToCountry: 'US', MessageSid: 'MM5ef8732a3c49700934481addd5ce1659', SmsStatus: 'received', Body: 'My order never arrived',
    To: '+15005550006', NumMedia: '2', From: '+14155550100', AccountSid: ACCOUNT_SID, ApiVersion: '2010-04-01',
    MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1', MediaContentType0: 'image/jpeg',
    MediaUrl1: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME2', MediaContentType1: 'application/pdf',
  });
  assert.equal(twilioSmsWebhook.routingKey(req), '+15005550006');
  const [ev] = twilioSmsWebhook.parse(req, config);
  assert.deepEqual(ev, {
    type: 'message',
    channel: 'sms',
    vendorMessageId: 'MM5ef8732a3c49700934481addd5ce1659',
    sender: { kind: 'phone', value: '+14155550100' },
    text: 'My order never arrived',
    attachments: [
      { ref: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1', contentType: 'image/jpeg' },
      { ref: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME2', contentType: 'application/pdf' },
    ],
    replyAddress: { to: '+14155550100', from: '+15005550006' },
  });
});

test('a status callback is a delivery status routed by our own (From) number', () => {
  const req = signedForm({ MessageSid: 'SM9', MessageStatus: 'undelivered', ErrorCode: '30003', From: '+15005550006', To: '+14155550100', AccountSid: ACCOUNT_SID });
  assert.equal(twilioSmsWebhook.routingKey(req), '+15005550006');
  assert.deepEqual(twilioSmsWebhook.parse(req, config), [{ type: 'status', channel: 'sms', vendorMessageId: 'SM9', status: 'failed', error: 'Twilio error 30003' }]);
  const delivered = signedForm({ MessageSid: 'SM9', MessageStatus: 'delivered', From: '+15005550006', To: '+14155550100' });
  assert.deepEqual(twilioSmsWebhook.parse(delivered, config), [{ type: 'status', channel: 'sms', vendorMessageId: 'SM9', status: 'delivered' }]);
});

test('the ack is empty TwiML', () => {
  assert.deepEqual(twilioSmsWebhook.ack(), { status: 200, contentType: 'text/xml', body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>' });
});

const longAnswer = [
  '## Refunds',
  'You can request a **refund** within _30 days_ of purchase from the [orders page](https://shop.example.com/orders). Refunds go back to the original payment method.',
  '- Open **Orders** and pick the order.',
  '- Choose `Request refund` and give a reason.',
  '- Gift card refunds arrive within ~~5~~ 3 days.',
  'Card refunds take 5–10 business days to appear; bank transfers can take longer, depending on your bank. '.repeat(4),
  'If anything is unclear, reply here and we will help.',
].join('\n\n');

test('a long markdown answer fits in 3 segments as plain text, counted like sms-segments-calculator, with a link to the rest', () => {
  const out = format({ text: longAnswer, citations: [{ title: 'Refund policy', url: 'https://help.example.com/refunds' }] }, {});
  const count = smsSegments(out.text);
  assert.ok(count.segments <= 3, `${count.segments} segments`);
  assert.equal(count.segments, new SegmentedMessage(out.text).segmentsCount);
  assert.equal(count.encoding, 'GSM-7', 'typographic dashes were mapped to GSM-7');
  assert.deepEqual(out.extra, { segments: count.segments, encoding: count.encoding });
  assert.doesNotMatch(out.text, /[*_`~#[\]]/, 'no markdown leaks into SMS');
  assert.match(out.text, /More: https:\/\/help\.example\.com\/refunds$/);
  assert.match(out.text, /https:\/\/shop\.example\.com\/orders/, 'links are bare URLs');
  assert.match(out.text, /within 3 days/, 'struck-out text is left out');
});

test('SMS honours maxSegments and moreUrl from the channel settings', () => {
  const out = format({ text: longAnswer, citations: [] }, { maxSegments: 2, moreUrl: 'https://hub.example.com/c/abc' });
  assert.ok(smsSegments(out.text).segments <= 2);
  assert.match(out.text, /\nMore: https:\/\/hub\.example\.com\/c\/abc$/);
});

test('a short answer keeps its sources as bare URLs', () => {
  const out = format({ text: 'Yes, **weekends** too.', citations: [{ title: 'Hours', url: 'https://help.example.com/hours' }, { title: 'Hours', url: 'https://help.example.com/hours' }] }, {});
  assert.equal(out.text, 'Yes, weekends too.\nhttps://help.example.com/hours');
});

test('emoji or non-Latin text is counted as UCS-2 and still capped', () => {
  const single = format({ text: 'Ваш заказ готов 🎉', citations: [] }, {});
  assert.deepEqual(smsSegments(single.text), { segments: 1, encoding: 'UCS-2' });
  const long = format({ text: 'Ваш заказ готов к выдаче в пункте самовывоза. '.repeat(12), citations: [] }, {});
  const c = smsSegments(long.text);
  assert.equal(c.encoding, 'UCS-2');
  assert.ok(c.segments <= 3);
  assert.equal(c.segments, new SegmentedMessage(long.text).segmentsCount);
  assert.ok(long.text.length <= 3 * 67);
});

// A few lines of Twilio's Messages API, enough to see the request the SDK makes and how failures map.
let server: Server;
let baseUrl = '';
let reply: { status: number; headers?: Record<string, string>; body: unknown } = { status: 201, body: {} };
const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
after(() => server.close());

const sender = () => new TwilioSender({ baseUrl, statusCallbackUrl: 'https://hub.example.com/v1/channels/twilio/sms' });
const failsWith = (check: (e: IntegrationError) => boolean) => (err: unknown) => err instanceof IntegrationError && check(err);
const send = () => sender().send(config, { to: '+14155550100', from: '+15005550006' }, { text: 'Hello there' }, { idempotencyKey: 'k1' });

test('the sender posts the message through the twilio SDK to baseUrl', async () => {
  seen.length = 0;
  reply = { status: 201, body: { sid: 'SM123', status: 'queued', account_sid: ACCOUNT_SID, to: '+14155550100', from: '+15005550006', body: 'Hello there' } };
  assert.deepEqual(await send(), { vendorMessageId: 'SM123', status: 'queued' });
  const [req] = seen;
  assert.equal(req?.method, 'POST');
  assert.equal(req?.url, `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
  assert.equal(req?.headers.authorization, 'Basic ' + Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64'));
  assert.deepEqual(Object.fromEntries(new URLSearchParams(req?.body)), {
    To: '+14155550100', From: '+15005550006', Body: 'Hello there', StatusCallback: 'https://hub.example.com/v1/channels/twilio/sms',
  });
});

test('429 with Retry-After is a rate limit that says how long to wait', async () => {
  reply = { status: 429, headers: { 'retry-after': '7' }, body: { code: 20429, message: 'Too Many Requests', status: 429 } };
  await assert.rejects(send(), failsWith((e) => e.type === 'rate_limited' && e.retryable && e.retryAfterMs === 7000 && e.status === 429));
});

test('5xx is retryable; 4xx (an opted-out number) is not', async () => {
  reply = { status: 503, body: { code: 20503, message: 'Service Unavailable', status: 503 } };
  await assert.rejects(send(), failsWith((e) => e.type === 'unavailable' && e.retryable));
  reply = { status: 400, body: { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 } };
  await assert.rejects(send(), failsWith((e) => e.type === 'invalid_request' && !e.retryable && /21610/.test(e.message)));
  reply = { status: 401, body: { code: 20003, message: 'Authenticate', status: 401 } };
  await assert.rejects(send(), failsWith((e) => e.type === 'unauthorized' && !e.retryable));
});

test('an unreachable Twilio is retryable', async () => {
  const s = new TwilioSender({ baseUrl: 'http://127.0.0.1:1' });
  await assert.rejects(s.send(config, { to: '+14155550100' }, { text: 'x' }, { idempotencyKey: 'k' }), failsWith((e) => e.type === 'unavailable' && e.retryable));
});
