import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { formatInstagram, formatMessenger, HUMAN_PAYLOAD } from '../../integrations/channels/meta/format.ts';
import { MetaSender } from '../../integrations/channels/meta/sender.ts';
import { metaWebhook } from '../../integrations/channels/meta/webhook.ts';
import type { ChannelConfig, RawWebhook } from '../../integrations/channels/types.ts';
import { IntegrationError } from '../../integrations/types.ts';

const APP_SECRET = 'meta-app-secret';
const messenger: ChannelConfig = { workspaceId: 'acme', channel: 'messenger', routingKey: '106382912345678', credentials: { appSecret: APP_SECRET, verifyToken: 'page-token-check', accessToken: 'EAAPage' }, settings: {} };
const instagram: ChannelConfig = { workspaceId: 'acme', channel: 'instagram', routingKey: '17841400000000000', credentials: { appSecret: APP_SECRET, verifyToken: 'ig-check', accessToken: 'EAAPage' }, settings: {} };
const lookup = async (key: string) => [messenger, instagram].find((c) => c.routingKey === key);

function signed(payload: unknown, secret = APP_SECRET): RawWebhook {
  const rawBody = Buffer.from(JSON.stringify(payload));
  return { method: 'POST', url: 'https://hub.example.com/v1/channels/meta/webhook', headers: { 'x-hub-signature-256': 'sha256=' + createHmac('sha256', secret).update(rawBody).digest('hex') }, rawBody, query: {} };
}

const page = (messaging: unknown[]) => ({ object: 'page', entry: [{ id: messenger.routingKey, time: 1749416383000, messaging }] });
const ig = (messaging: unknown[]) => ({ object: 'instagram', entry: [{ id: instagram.routingKey, time: 1749416383000, messaging }] });

test('the shared Meta handshake and signature', async () => {
  const get = (query: Record<string, string>): RawWebhook => ({ method: 'GET', url: 'https://hub.example.com/v1/channels/meta/webhook', headers: {}, rawBody: Buffer.alloc(0), query });
  assert.deepEqual(await metaWebhook.handshake!(get({ 'hub.mode': 'subscribe', 'hub.verify_token': 'ig-check', 'hub.challenge': 'c-42', account: instagram.routingKey }), lookup), { status: 200, contentType: 'text/plain', body: 'c-42' });
  assert.equal((await metaWebhook.handshake!(get({ 'hub.mode': 'subscribe', 'hub.verify_token': 'page-token-check', 'hub.challenge': 'c', account: instagram.routingKey }), lookup))?.status, 403);
  const req = signed(page([]));
  assert.deepEqual(metaWebhook.verify(req, messenger, new Date()), { ok: true });
  assert.equal(metaWebhook.verify(signed(page([]), 'wrong'), messenger, new Date()).ok, false);
  assert.equal(metaWebhook.verify({ ...req, headers: {} }, messenger, new Date()).ok, false);
  assert.deepEqual(metaWebhook.channels, ['messenger', 'instagram']);
});

test('a Messenger message with a quick reply and an attachment; echoes are skipped', () => {
  const req = signed(page([
    { sender: { id: '6783421098765432' }, recipient: { id: messenger.routingKey }, timestamp: 1749416383000, message: { mid: 'm_AbC1', text: 'Talk to a person', quick_reply: { payload: HUMAN_PAYLOAD } } },
    { sender: { id: '6783421098765432' }, recipient: { id: messenger.routingKey }, timestamp: 1749416384000, message: { mid: 'm_AbC2', attachments: [{ type: 'image', payload: { url: 'https://scontent.xx.fbcdn.net/v/t1.png' } }] } },
    { sender: { id: messenger.routingKey }, recipient: { id: '6783421098765432' }, timestamp: 1749416385000, message: { mid: 'm_echo', text: 'Our reply', is_echo: true } },
  ]));
  assert.equal(metaWebhook.routingKey(req), messenger.routingKey);
  const events = metaWebhook.parse(req, messenger);
  assert.equal(events.length, 2);
  assert.deepEqual(events[0], {
    type: 'message', channel: 'messenger', vendorMessageId: 'm_AbC1', sender: { kind: 'messenger', value: '6783421098765432' }, text: 'Talk to a person',
    attachments: [], at: '2025-06-08T20:59:43.000Z', replyAddress: { recipientId: '6783421098765432' }, meta: { quickReplyPayload: 'HUMAN' },
  });
  assert.ok(events[1]?.type === 'message');
  assert.deepEqual(events[1].attachments, [{ ref: 'https://scontent.xx.fbcdn.net/v/t1.png', contentType: 'image/*' }]);
});

test('an Instagram DM is an instagram message from the IG-scoped user id', () => {
  const req = signed(ig([{ sender: { id: '1234567890123456' }, recipient: { id: instagram.routingKey }, timestamp: 1749416383000, message: { mid: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx', text: 'Do you ship to Canada?' } }]));
  assert.equal(metaWebhook.routingKey(req), instagram.routingKey);
  assert.deepEqual(metaWebhook.parse(req, instagram), [{
    type: 'message', channel: 'instagram', vendorMessageId: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx', sender: { kind: 'instagram', value: '1234567890123456' },
    text: 'Do you ship to Canada?', attachments: [], at: '2025-06-08T20:59:43.000Z', replyAddress: { recipientId: '1234567890123456' },
  }]);
});

test('delivery and read events with message ids become statuses; watermark-only reads do not', () => {
  const req = signed(page([
    { sender: { id: '678' }, recipient: { id: messenger.routingKey }, timestamp: 1, delivery: { mids: ['m_out1', 'm_out2'], watermark: 1749416383000 } },
    { sender: { id: '678' }, recipient: { id: messenger.routingKey }, timestamp: 2, read: { watermark: 1749416383000 } },
  ]));
  assert.deepEqual(metaWebhook.parse(req, messenger), [
    { type: 'status', channel: 'messenger', vendorMessageId: 'm_out1', status: 'delivered' },
    { type: 'status', channel: 'messenger', vendorMessageId: 'm_out2', status: 'delivered' },
  ]);
  const igRead = signed(ig([{ sender: { id: '123' }, recipient: { id: instagram.routingKey }, timestamp: 3, read: { mid: 'ig_out1' } }]));
  assert.deepEqual(metaWebhook.parse(igRead, instagram), [{ type: 'status', channel: 'instagram', vendorMessageId: 'ig_out1', status: 'read' }]);
});

const answer = (n: number) => Array.from({ length: n }, (_, i) => `**Tip ${i}:** check the [status page](https://status.example.com/${i}) and _retry_ after a minute; \`code ${i}\` means busy.`).join('\n\n');
const MARKDOWN = /\*\*|__|`|~~|\[[^\]]*\]\(|^#|^\s*[*+-] /m;

test('Messenger: plain text within 2,000 characters and a "Talk to a person" quick reply', () => {
  const out = formatMessenger({ text: answer(60), citations: [{ title: 'Status', url: 'https://status.example.com' }], offerHuman: true });
  assert.ok(out.text.length <= 2000, `${out.text.length}`);
  assert.doesNotMatch(out.text, MARKDOWN);
  assert.doesNotMatch(out.text, /[*_]/);
  assert.deepEqual(out.extra, { quickReplies: [{ content_type: 'text', title: 'Talk to a person', payload: 'HUMAN' }] });
  assert.equal(formatMessenger({ text: 'hi', citations: [] }).extra, undefined);
});

test('Instagram: plain text within 1,000 characters', () => {
  const out = formatInstagram({ text: answer(60), citations: [{ title: 'Status', url: 'https://status.example.com' }] });
  assert.ok(out.text.length <= 1000, `${out.text.length}`);
  assert.doesNotMatch(out.text, MARKDOWN);
  assert.match(out.text, /Sources:\n• Status: https:\/\/status\.example\.com$/);
  for (const url of out.text.match(/https:\/\/status\.example\.com\/\S*/g) ?? []) assert.match(url, /\/\d+\)?$/, `URL intact: ${url}`);
});

// A few lines of the Send API.
let server: Server;
let baseUrl = '';
let reply: { status: number; headers?: Record<string, string>; body: unknown } = { status: 200, body: {} };
const seen: { url: string; body: unknown }[] = [];

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', body: body ? JSON.parse(body) : undefined });
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

test('Messenger replies go to /{version}/me/messages with the page token, RESPONSE type and quick replies', async () => {
  seen.length = 0;
  reply = { status: 200, body: { recipient_id: '678', message_id: 'm_sent1' } };
  const s = new MetaSender('messenger', { baseUrl, apiVersion: 'v23.0' });
  const message = s.format({ text: 'Here you go.', citations: [], offerHuman: true }, {});
  assert.deepEqual(await s.send(messenger, { recipientId: '678' }, message, { idempotencyKey: 'k' }), { vendorMessageId: 'm_sent1', status: 'sent' });
  assert.equal(seen[0]?.url, '/v23.0/me/messages?access_token=EAAPage');
  assert.deepEqual(seen[0]?.body, {
    recipient: { id: '678' },
    messaging_type: 'RESPONSE',
    message: { text: 'Here you go.', quick_replies: [{ content_type: 'text', title: 'Talk to a person', payload: 'HUMAN' }] },
  });
});

test('Send API throttling (HTTP 400, code 613) is a retryable rate limit; a bad token is not retried', async () => {
  const s = new MetaSender('instagram', { baseUrl });
  const send = () => s.send(instagram, { recipientId: '123' }, { text: 'x' }, { idempotencyKey: 'k' });
  reply = { status: 400, body: { error: { message: '(#613) Calls to this api have exceeded the rate limit.', type: 'OAuthException', code: 613 } } };
  await assert.rejects(send(), failsWith((e) => e.type === 'rate_limited' && e.retryable && (e.retryAfterMs ?? 0) > 0));
  reply = { status: 400, body: { error: { message: '(#130429) Rate limit hit', code: 130429 } } };
  await assert.rejects(send(), failsWith((e) => e.type === 'rate_limited' && e.retryable));
  reply = { status: 400, body: { error: { message: 'Invalid OAuth access token', code: 190 } } };
  await assert.rejects(send(), failsWith((e) => e.type === 'unauthorized' && !e.retryable));
});
