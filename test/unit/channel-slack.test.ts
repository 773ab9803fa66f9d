import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { format } from '../../integrations/channels/slack/format.ts';
import { SlackSender } from '../../integrations/channels/slack/sender.ts';
import { slackSignature, verifySlackSignature } from '../../integrations/channels/slack/signature.ts';
import { slackWebhook } from '../../integrations/channels/slack/webhook.ts';
import type { ChannelConfig, RawWebhook } from '../../integrations/channels/types.ts';
import { IntegrationError } from '../../integrations/types.ts';

const SECRET = 'slack-signing-secret';
const config: ChannelConfig = { workspaceId: 'acme', channel: 'slack', routingKey: 'T0001', credentials: { signingSecret: SECRET, botToken: 'xoxb-test' }, settings: {} };
const NOW = new Date('2025-06-08T21:00:00Z');
const nowTs = String(Math.floor(NOW.getTime() / 1000));

function signed(payload: unknown, opts: { secret?: string; ts?: string; headers?: Record<string, string>; query?: Record<string, string> } = {}): RawWebhook {
  const rawBody = Buffer.from(JSON.stringify(payload));
  const ts = opts.ts ?? nowTs;
  return {
    method: 'POST',
    url: 'https://hub.example.com/v1/channels/slack/events',
    headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': slackSignature(opts.secret ?? SECRET, ts, rawBody), ...opts.headers },
    rawBody,
    query: opts.query ?? {},
  };
}

test("Slack's documented signing example verifies", () => {
  // From Slack's "Verifying requests from Slack" guide (a slash command body).
  const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const expected = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
  assert.equal(slackSignature(secret, '1531420618', body), expected);
  const req: RawWebhook = { method: 'POST', url: 'https://x/slack', headers: { 'x-slack-request-timestamp': '1531420618', 'x-slack-signature': expected }, rawBody: Buffer.from(body), query: {} };
  assert.deepEqual(verifySlackSignature(req, secret, new Date(1531420618 * 1000 + 60_000)), { ok: true });
  const stale = verifySlackSignature(req, secret, new Date(1531420618 * 1000 + 6 * 60_000));
  assert.equal(!stale.ok && stale.status, 401);
  assert.match(!stale.ok ? stale.reason : '', /stale/);
});

test('bad, missing and stale signatures are refused', () => {
  const payload = { type: 'event_callback', team_id: 'T0001', event_id: 'Ev1', event: { type: 'message', user: 'U1', text: 'hi', ts: '1.0', channel: 'D1' } };
  assert.deepEqual(slackWebhook.verify(signed(payload), config, NOW), { ok: true });
  assert.equal(slackWebhook.verify(signed(payload, { secret: 'other' }), config, NOW).ok, false);
  assert.equal(slackWebhook.verify(signed(payload, { ts: String(Number(nowTs) - 301) }), config, NOW).ok, false);
  assert.equal(slackWebhook.verify(signed(payload, { ts: String(Number(nowTs) + 301) }), config, NOW).ok, false, 'from the future too');
  const missing = signed(payload);
  delete missing.headers['x-slack-signature'];
  assert.equal(slackWebhook.verify(missing, config, NOW).ok, false);
  const tampered = { ...signed(payload), rawBody: Buffer.from(JSON.stringify({ ...payload, team_id: 'T9' })) };
  assert.equal(slackWebhook.verify(tampered, config, NOW).ok, false);
});

test('url_verification answers the challenge, and refuses a bad signature when the account is known', async () => {
  const lookup = async (key: string) => (key === 'T0001' ? config : undefined);
  const challenge = { token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' };
  // The handshake has no `now` parameter: it checks against the clock.
  const ts = String(Math.floor(Date.now() / 1000));
  const ok = await slackWebhook.handshake!(signed(challenge, { ts, query: { account: 'T0001' } }), lookup);
  assert.equal(ok?.status, 200);
  assert.deepEqual(JSON.parse(ok?.body ?? ''), { challenge: challenge.challenge });
  const forged = await slackWebhook.handshake!(signed(challenge, { secret: 'nope', ts, query: { account: 'T0001' } }), lookup);
  assert.equal(forged?.status, 401);
  assert.equal(await slackWebhook.handshake!(signed({ type: 'event_callback', event_id: 'E', event: { type: 'message', ts: '1' } }), lookup), undefined);
});

const messageEvent = {
  token: 'XXYYZZ',
  team_id: 'T0001',
  api_app_id: 'A0001',
  event: { type: 'message', channel: 'D024BE91L', user: 'U2147483697', text: 'How do I export &lt;all&gt; invoices?', ts: '1749416383.000200', event_ts: '1749416383.000200', channel_type: 'im' },
  type: 'event_callback',
  authorizations: [{ team_id: 'T0001', user_id: 'U0BOT', is_bot: true }],
  event_id: 'Ev08MFMKH6',
  event_time: 1749416383,
};

test('a direct message becomes a message keyed by event_id with a reply thread', () => {
  const req = signed(messageEvent);
  assert.equal(slackWebhook.routingKey(req), 'T0001');
  assert.deepEqual(slackWebhook.parse(req, config), [{
    type: 'message', channel: 'slack', vendorMessageId: 'Ev08MFMKH6', sender: { kind: 'slack_user', value: 'U2147483697' },
    text: 'How do I export <all> invoices?', attachments: [], at: '2025-06-08T20:59:43.000Z',
    replyAddress: { channel: 'D024BE91L', threadTs: '1749416383.000200' }, meta: { eventType: 'message', channelType: 'im' },
  }]);
});

test("Slack's retry of the same event has the same vendorMessageId", () => {
  const first = slackWebhook.parse(signed(messageEvent), config);
  const retry = slackWebhook.parse(signed(messageEvent, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } }), config);
  assert.equal(retry[0]?.vendorMessageId, first[0]?.vendorMessageId);
  assert.deepEqual(retry[0]?.type === 'message' && retry[0].meta, { eventType: 'message', channelType: 'im', retryNum: 1, retryReason: 'http_timeout' });
});

test('an app mention in a thread replies in that thread, without the bot mention', () => {
  const req = signed({ ...messageEvent, event_id: 'Ev2', event: { type: 'app_mention', user: 'U2147483697', text: '<@U0BOT> is SSO supported?', ts: '1749416390.000300', thread_ts: '1749416000.000100', channel: 'C0LAN2Q65' } });
  const [ev] = slackWebhook.parse(req, config);
  assert.ok(ev?.type === 'message');
  assert.equal(ev.text, 'is SSO supported?');
  assert.deepEqual(ev.replyAddress, { channel: 'C0LAN2Q65', threadTs: '1749416000.000100' });
});

test('bot posts, edits and other subtypes are skipped', () => {
  for (const event of [
    { type: 'message', subtype: 'bot_message', bot_id: 'B1', text: 'our reply', ts: '1.1', channel: 'D1' },
    { type: 'message', user: 'U0BOT', bot_id: 'B1', text: 'our reply', ts: '1.2', channel: 'D1' },
    { type: 'message', subtype: 'message_changed', channel: 'D1', ts: '1.3', message: { text: 'edited' } },
    { type: 'reaction_added', user: 'U1', reaction: 'thumbsup', item: {}, event_ts: '1.4', ts: '1.4' },
  ]) {
    assert.deepEqual(slackWebhook.parse(signed({ ...messageEvent, event }), config), [], JSON.stringify(event));
  }
});

test('Slack formatting is mrkdwn with <url|title> links and escaped control characters', () => {
  const out = format({ text: '## Export\n\nUse **Reports** > _Invoices_ & pick ~~CSV~~ XLSX. See [the guide](https://help.example.com/export).\n\n- step `one`\n- step two', citations: [{ title: 'Exports', url: 'https://help.example.com/exports' }] });
  assert.equal(out.text, '*Export*\n\nUse *Reports* &gt; _Invoices_ &amp; pick ~CSV~ XLSX. See <https://help.example.com/export|the guide>.\n\n• step `one`\n• step two\n\n*Sources:*\n• <https://help.example.com/exports|Exports>');
});

// A few lines of the Slack Web API.
let server: Server;
let baseUrl = '';
let reply: { status: number; headers?: Record<string, string>; body: unknown } = { status: 200, body: {} };
const seen: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/api/`;
});
after(() => server.close());

const failsWith = (check: (e: IntegrationError) => boolean) => (err: unknown) => err instanceof IntegrationError && check(err);
const send = () => new SlackSender({ baseUrl }).send(config, { channel: 'C0LAN2Q65', threadTs: '1749416000.000100' }, { text: '*Hi*' }, { idempotencyKey: 'k' });

test('replies go through chat.postMessage in the thread, with the bot token', async () => {
  seen.length = 0;
  reply = { status: 200, body: { ok: true, channel: 'C0LAN2Q65', ts: '1749416400.000400', message: { text: '*Hi*' } } };
  assert.deepEqual(await send(), { vendorMessageId: '1749416400.000400', status: 'sent' });
  assert.equal(seen[0]?.url, '/api/chat.postMessage');
  assert.equal(seen[0]?.headers.authorization, 'Bearer xoxb-test');
  const body = seen[0]?.headers['content-type']?.includes('json') ? JSON.parse(seen[0].body) : Object.fromEntries(new URLSearchParams(seen[0]?.body));
  assert.equal(body.channel, 'C0LAN2Q65');
  assert.equal(body.thread_ts, '1749416000.000100');
  assert.equal(body.text, '*Hi*');
  assert.equal(String(body.mrkdwn), 'true');
});

test('429 with Retry-After is a rate limit at once (the client neither sleeps nor retries)', async () => {
  seen.length = 0;
  reply = { status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } };
  const started = Date.now();
  await assert.rejects(send(), failsWith((e) => e.type === 'rate_limited' && e.retryable && e.retryAfterMs === 30_000));
  assert.ok(Date.now() - started < 5_000);
  assert.equal(seen.length, 1);
});

test('invalid_auth and channel_not_found are not retried; a 503 is', async () => {
  reply = { status: 200, body: { ok: false, error: 'invalid_auth' } };
  await assert.rejects(send(), failsWith((e) => e.type === 'unauthorized' && !e.retryable));
  reply = { status: 200, body: { ok: false, error: 'channel_not_found' } };
  await assert.rejects(send(), failsWith((e) => e.type === 'not_found' && !e.retryable));
  reply = { status: 503, body: { ok: false, error: 'service_unavailable' } };
  await assert.rejects(send(), failsWith((e) => e.type === 'unavailable' && e.retryable));
});
