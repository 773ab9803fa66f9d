import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import type { ChannelConfig, RawWebhook } from '../../integrations/channels/types.ts';
import { format } from '../../integrations/channels/whatsapp/format.ts';
import { sendTemplate, WhatsAppSender } from '../../integrations/channels/whatsapp/sender.ts';
import { whatsappWebhook } from '../../integrations/channels/whatsapp/webhook.ts';
import { IntegrationError } from '../../integrations/types.ts';

const APP_SECRET = 'wa-app-secret';
const config: ChannelConfig = {
  workspaceId: 'acme',
  channel: 'whatsapp',
  routingKey: '106540352242922',
  credentials: { appSecret: APP_SECRET, verifyToken: 'let-me-in', accessToken: 'EAAGtoken' },
  settings: {},
};
const lookup = async (key: string) => (key === config.routingKey ? config : undefined);

function signed(payload: unknown, secret = APP_SECRET): RawWebhook {
  const rawBody = Buffer.from(JSON.stringify(payload));
  const sig = 'sha256=' + createHmac('sha256', secret).update(rawBody).digest('hex');
  return { method: 'POST', url: 'https://hub.example.com/v1/channels/whatsapp/webhook', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig }, rawBody, query: {} };
}

const get = (query: Record<string, string>): RawWebhook => ({ method: 'GET', url: 'https://hub.example.com/v1/channels/whatsapp/webhook', headers: {}, rawBody: Buffer.alloc(0), query });

/** The Cloud API envelope around a list of messages or statuses, as Meta sends it. */
function envelope(value: Record<string, unknown>, phoneNumberId = config.routingKey) {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId }, ...value } }] }],
  };
}
const contacts = [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }];

test('the verification GET answers the challenge only for the configured verify token', async () => {
  const ok = await whatsappWebhook.handshake!(get({ 'hub.mode': 'subscribe', 'hub.verify_token': 'let-me-in', 'hub.challenge': '1158201444', account: config.routingKey }), lookup);
  assert.deepEqual(ok, { status: 200, contentType: 'text/plain', body: '1158201444' });
  const wrong = await whatsappWebhook.handshake!(get({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1', account: config.routingKey }), lookup);
  assert.equal(wrong?.status, 403);
  const unknown = await whatsappWebhook.handshake!(get({ 'hub.mode': 'subscribe', 'hub.verify_token': 'let-me-in', 'hub.challenge': '1' }), lookup);
  assert.equal(unknown?.status, 403);
  assert.equal(await whatsappWebhook.handshake!(signed(envelope({})), lookup), undefined, 'a POST is not a handshake');
});

test('X-Hub-Signature-256 is checked over the raw body', () => {
  const req = signed(envelope({ contacts, messages: [] }));
  assert.deepEqual(whatsappWebhook.verify(req, config, new Date()), { ok: true });
  assert.equal(whatsappWebhook.verify(signed(envelope({})), { ...config, credentials: { ...config.credentials, appSecret: 'other' } }, new Date()).ok, false);
  const tampered = { ...req, rawBody: Buffer.from(req.rawBody.toString().replace('Sheena', 'Shiina')) };
  assert.equal(whatsappWebhook.verify(tampered, config, new Date()).ok, false);
  const missing = { ...req, headers: {} };
  const r = whatsappWebhook.verify(missing, config, new Date());
  assert.equal(!r.ok && r.status, 401);
});

test('a text message names the sender by wa_id and profile name', () => {
  const req = signed(envelope({ contacts, messages: [{ from: '16505551234', id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=', timestamp: '1749416383', type: 'text', text: { body: 'Where is my order?' } }] }));
  assert.equal(whatsappWebhook.routingKey(req), config.routingKey);
  assert.deepEqual(whatsappWebhook.parse(req, config), [{
    type: 'message',
    channel: 'whatsapp',
    vendorMessageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
    sender: { kind: 'whatsapp', value: '16505551234', name: 'Sheena Nelson' },
    text: 'Where is my order?',
    attachments: [],
    at: '2025-06-08T20:59:43.000Z',
    replyAddress: { to: '16505551234', phoneNumberId: config.routingKey },
  }]);
});

test('interactive replies read as their title, with the id in meta', () => {
  const req = signed(envelope({
    contacts,
    messages: [
      { context: { from: '15550783881', id: 'wamid.ctx' }, from: '16505551234', id: 'wamid.b1', timestamp: '1749416383', type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'talk_to_human', title: 'Talk to a person' } } },
      { from: '16505551234', id: 'wamid.l1', timestamp: '1749416384', type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'billing', title: 'Billing', description: 'Invoices and refunds' } } },
      { from: '16505551234', id: 'wamid.t1', timestamp: '1749416385', type: 'button', button: { payload: 'STOP_PROMOS', text: 'Stop promotions' } },
    ],
  }));
  const [button, list, templateButton] = whatsappWebhook.parse(req, config);
  assert.equal(button?.type === 'message' && button.text, 'Talk to a person');
  assert.deepEqual(button?.type === 'message' && button.meta, { interactive: { type: 'button_reply', id: 'talk_to_human' }, inReplyTo: 'wamid.ctx' });
  assert.equal(list?.type === 'message' && list.text, 'Billing');
  assert.deepEqual(list?.type === 'message' && list.meta, { interactive: { type: 'list_reply', id: 'billing' } });
  assert.equal(templateButton?.type === 'message' && templateButton.text, 'Stop promotions');
});

test('an image with a caption is an attachment by media id with the caption as text; a location reads as lat,long', () => {
  const req = signed(envelope({
    contacts,
    messages: [
      { from: '16505551234', id: 'wamid.img', timestamp: '1749416383', type: 'image', image: { caption: 'The box arrived like this', mime_type: 'image/jpeg', sha256: 'abc', id: '1003383421387256' } },
      { from: '16505551234', id: 'wamid.loc', timestamp: '1749416390', type: 'location', location: { latitude: 37.483307, longitude: -122.148981, name: 'Pablo Morales', address: '1 Hacker Way, Menlo Park, CA 94025' } },
      { from: '16505551234', id: 'wamid.react', timestamp: '1749416391', type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '👍' } },
    ],
  }));
  const events = whatsappWebhook.parse(req, config);
  assert.equal(events.length, 2, 'a reaction is not a message');
  const [image, location] = events;
  assert.ok(image?.type === 'message' && location?.type === 'message');
  assert.equal(image.text, 'The box arrived like this');
  assert.deepEqual(image.attachments, [{ ref: '1003383421387256', contentType: 'image/jpeg' }]);
  assert.equal(location.text, '37.483307,-122.148981');
  assert.deepEqual(location.meta, { location: { latitude: 37.483307, longitude: -122.148981, name: 'Pablo Morales', address: '1 Hacker Way, Menlo Park, CA 94025' } });
});

test('statuses become delivery events; a failure carries its error title', () => {
  const req = signed(envelope({
    statuses: [
      { id: 'wamid.out1', status: 'delivered', timestamp: '1749416400', recipient_id: '16505551234' },
      { id: 'wamid.out2', status: 'failed', timestamp: '1749416401', recipient_id: '16505551234', errors: [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message' }] },
    ],
  }));
  assert.deepEqual(whatsappWebhook.parse(req, config), [
    { type: 'status', channel: 'whatsapp', vendorMessageId: 'wamid.out1', status: 'delivered' },
    { type: 'status', channel: 'whatsapp', vendorMessageId: 'wamid.out2', status: 'failed', error: 'Re-engagement message (131047)' },
  ]);
});

test("another number's changes in the same delivery are not this channel's", () => {
  const req = signed(envelope({ contacts, messages: [{ from: '16505551234', id: 'wamid.z', timestamp: '1', type: 'text', text: { body: 'hi' } }] }, '999'));
  assert.deepEqual(whatsappWebhook.parse(req, config), []);
});

const markerCounts = (t: string) => ({ bold: (t.match(/\*/g) ?? []).length, italic: (t.match(/_/g) ?? []).length, strike: (t.match(/~/g) ?? []).length, mono: (t.match(/```/g) ?? []).length });

test('WhatsApp formatting uses its own markup and stays within 4,096 characters without dangling markers', () => {
  const short = format({ text: '## Steps\n\nOpen **Settings**, then _Security_ and ~~old~~ **Reset**. See [help](https://help.example.com/reset).\n\n- one\n- two', citations: [{ title: 'Reset guide', url: 'https://help.example.com/guide' }] });
  assert.equal(short.text, '*Steps*\n\nOpen *Settings*, then _Security_ and ~old~ *Reset*. See help (https://help.example.com/reset).\n\n• one\n• two\n\nSources:\n• Reset guide: https://help.example.com/guide');
  const long = format({ text: Array.from({ length: 200 }, (_, i) => `Step ${i}: open **Account settings** and choose _Privacy and security_ at https://example.com/s/${i} to continue.`).join(' '), citations: [{ title: 'Guide', url: 'https://example.com/guide' }] });
  assert.ok(long.text.length <= 4096, `${long.text.length}`);
  const c = markerCounts(long.text);
  assert.ok(c.bold % 2 === 0 && c.italic % 2 === 0 && c.strike % 2 === 0 && c.mono % 2 === 0, JSON.stringify(c));
  assert.match(long.text, /\n\nSources:\n• Guide: https:\/\/example\.com\/guide$/);
  for (const url of long.text.match(/https:\/\/example\.com\/s\/\d+/g) ?? []) assert.match(url, /\/s\/\d+$/);
  assert.match(long.text, /continue\.\n\nSources:/, 'the cut lands at a sentence end, not inside a word or URL');
});

// A few lines of the Cloud API.
let server: Server;
let baseUrl = '';
let reply: { status: number; headers?: Record<string, string>; body: unknown } = { status: 200, body: {} };
const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: unknown }[] = [];

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: body ? JSON.parse(body) : undefined });
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
after(() => server.close());

const failsWith = (check: (e: IntegrationError) => boolean) => (err: unknown) => err instanceof IntegrationError && check(err);
const accepted = { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: '16505551234', wa_id: '16505551234' }], messages: [{ id: 'wamid.sent1' }] } };
const to = { to: '16505551234', phoneNumberId: config.routingKey };
const send = () => new WhatsAppSender({ baseUrl, apiVersion: 'v23.0' }).send(config, to, { text: 'Hello *there*' }, { idempotencyKey: 'k' });

test('a text reply is POSTed to /{version}/{phone-number-id}/messages with the bearer token', async () => {
  seen.length = 0;
  reply = accepted;
  assert.deepEqual(await send(), { vendorMessageId: 'wamid.sent1', status: 'queued' });
  assert.equal(seen[0]?.method, 'POST');
  assert.equal(seen[0]?.url, `/v23.0/${config.routingKey}/messages`);
  assert.equal(seen[0]?.headers.authorization, 'Bearer EAAGtoken');
  assert.deepEqual(seen[0]?.body, { messaging_product: 'whatsapp', to: '16505551234', type: 'text', text: { body: 'Hello *there*' } });
});

test('a template message names the template and its language', async () => {
  seen.length = 0;
  reply = accepted;
  await sendTemplate(config, to, { name: 'conversation_followup', languageCode: 'en_US' }, { baseUrl, apiVersion: 'v23.0' });
  assert.deepEqual(seen[0]?.body, { messaging_product: 'whatsapp', to: '16505551234', type: 'template', template: { name: 'conversation_followup', language: { code: 'en_US' } } });
});

test('Graph throttling (HTTP 400, code 130429) is a retryable rate limit with a default wait', async () => {
  reply = { status: 400, body: { error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429, fbtrace_id: 'x' } } };
  await assert.rejects(send(), failsWith((e) => e.type === 'rate_limited' && e.retryable && (e.retryAfterMs ?? 0) > 0));
  reply = { status: 400, headers: { 'retry-after': '12' }, body: { error: { message: '(#80007) Rate limit issues', code: 80007 } } };
  await assert.rejects(send(), failsWith((e) => e.type === 'rate_limited' && e.retryAfterMs === 12_000));
  reply = { status: 429, headers: { 'retry-after': '3' }, body: {} };
  await assert.rejects(send(), failsWith((e) => e.type === 'rate_limited' && e.retryAfterMs === 3000));
});

test('a bad token and a closed 24-hour window are not retried; a Graph outage is', async () => {
  reply = { status: 401, body: { error: { message: 'Invalid OAuth access token', code: 190 } } };
  await assert.rejects(send(), failsWith((e) => e.type === 'unauthorized' && !e.retryable));
  reply = { status: 400, body: { error: { message: 'Re-engagement message', code: 131047 } } };
  await assert.rejects(send(), failsWith((e) => e.type === 'invalid_request' && !e.retryable));
  reply = { status: 503, body: { error: { message: 'Service temporarily unavailable', code: 2, is_transient: true } } };
  await assert.rejects(send(), failsWith((e) => e.type === 'unavailable' && e.retryable));
});
