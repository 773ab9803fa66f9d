// Messenger, Instagram and Slack end to end: signed webhooks in, answers within each medium's limits out.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from '../helpers/app.ts';
import { connectChannel, eventually, metaSignature, noMarkdown, post, slackSignature, startKnowledgeApp } from '../helpers/channels.ts';
import { startGraphEmulator, type GraphEmulator } from '../emulators/graph/index.ts';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack/index.ts';

const PAGE_ID = '200000000000001';
const IG_ID = '17841400000000001';
const APP_SECRET = 'meta-app-secret';
const SLACK_SECRET = 'slack-signing-secret';
const TEAM = 'T0TEAM001';

function messaging(object: 'page' | 'instagram', accountId: string, senderId: string, mid: string, text: string) {
  return JSON.stringify({
    object,
    entry: [{ id: accountId, time: 1795500000000, messaging: [{ sender: { id: senderId }, recipient: { id: accountId }, timestamp: 1795500000000, message: { mid, text } }] }],
  });
}

describe('Messenger, Instagram and Slack', () => {
  let t: TestApp;
  let graph: GraphEmulator;
  let slack: SlackEmulator;

  before(async () => {
    graph = await startGraphEmulator();
    slack = await startSlackEmulator();
    t = await startKnowledgeApp({ GRAPH_API_URL: graph.url, SLACK_API_URL: `${slack.url}/api/` });
    const meta = { appSecret: APP_SECRET, verifyToken: 'v', accessToken: graph.accessToken };
    await connectChannel(t, 'messenger', { routingKey: PAGE_ID, credentials: meta });
    await connectChannel(t, 'instagram', { routingKey: IG_ID, credentials: meta });
    await connectChannel(t, 'slack', { routingKey: TEAM, credentials: { signingSecret: SLACK_SECRET, botToken: slack.token } });
  });
  after(async () => {
    await t?.stop();
    await graph?.close();
    await slack?.close();
  });

  const sendMeta = (body: string) => post(t, '/v1/channels/meta/webhook', body, { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(APP_SECRET, body) });
  const sentTo = (id: string) => graph.received.filter((r) => r.api === 'send' && (r.body.recipient as { id?: string } | undefined)?.id === id);

  it('answers a Messenger message in plain text within 2,000 characters', async () => {
    assert.equal((await sendMeta(messaging('page', PAGE_ID, 'PSID1', 'm_1', 'What does the lifetime warranty cover?'))).status, 200);
    const [reply] = await eventually('the Messenger reply', () => (sentTo('PSID1').length ? sentTo('PSID1') : undefined));
    const msg = (reply!.body as { message: { text: string } }).message;
    assert.match(msg.text, /defects in materials and workmanship/);
    assert.ok(msg.text.length <= 2000);
    assert.ok(noMarkdown(msg.text), msg.text);
  });

  it('offers "talk to a person" as a quick reply when the bot cannot answer', async () => {
    assert.equal((await sendMeta(messaging('page', PAGE_ID, 'PSID2', 'm_2', 'What is the meaning of life?'))).status, 200);
    const [reply] = await eventually('the Messenger reply', () => (sentTo('PSID2').length ? sentTo('PSID2') : undefined));
    const msg = (reply!.body as { message: { text: string; quick_replies?: { title: string }[] } }).message;
    assert.ok(msg.quick_replies?.some((q) => /person/i.test(q.title)), JSON.stringify(msg));
  });

  it('answers an Instagram DM within 1,000 characters', async () => {
    assert.equal((await sendMeta(messaging('instagram', IG_ID, 'IGSID1', 'ig_1', 'Tell me everything about returns, refunds and exchanges'))).status, 200);
    const [reply] = await eventually('the Instagram reply', () => (sentTo('IGSID1').length ? sentTo('IGSID1') : undefined));
    const msg = (reply!.body as { message: { text: string } }).message;
    assert.ok(msg.text.length <= 1000, String(msg.text.length));
    assert.ok(noMarkdown(msg.text), msg.text);
  });

  const slackEvent = (eventId: string, text: string, ts: string) =>
    JSON.stringify({
      token: 'legacy',
      team_id: TEAM,
      api_app_id: 'A0APP',
      type: 'event_callback',
      event_id: eventId,
      event_time: 1795500000,
      event: { type: 'message', channel_type: 'im', user: 'U0CUSTOMER', text, ts, channel: 'D0DM' },
    });
  const sendSlack = (body: string, opts: { ts?: number; secret?: string; retry?: string } = {}) => {
    const ts = String(opts.ts ?? Math.floor(Date.now() / 1000));
    return post(t, '/v1/channels/slack/events', body, {
      'content-type': 'application/json',
      'x-slack-request-timestamp': ts,
      'x-slack-signature': slackSignature(opts.secret ?? SLACK_SECRET, ts, body),
      ...(opts.retry ? { 'x-slack-retry-num': opts.retry, 'x-slack-retry-reason': 'http_timeout' } : {}),
    });
  };

  it('answers the url_verification challenge', async () => {
    const body = JSON.stringify({ token: 'legacy', challenge: 'c-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${t.baseUrl}/v1/channels/slack/events?account=${TEAM}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': slackSignature(SLACK_SECRET, ts, body) },
      body,
    });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /c-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P/);
  });

  it('answers a Slack message in its thread, once, even when Slack retries', async () => {
    const body = slackEvent('Ev0001', 'How long until I get my refund?', '1795500000.000100');
    const started = Date.now();
    const first = await sendSlack(body);
    assert.equal(first.status, 200);
    assert.ok(Date.now() - started < 3000, 'acknowledged within 3 seconds');
    assert.equal((await sendSlack(body, { retry: '1' })).status, 200);
    const posted = await eventually('the Slack reply', () => slack.received.find((m) => m.threadTs === '1795500000.000100'));
    assert.equal(posted.channel, 'D0DM');
    assert.match(posted.text, /3 business days/);
    assert.ok(!posted.text.includes('**'), 'Slack mrkdwn bold is *single*');
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(slack.received.filter((m) => m.threadTs === '1795500000.000100').length, 1);
  });

  it('refuses stale and wrongly signed Slack requests', async () => {
    const body = slackEvent('Ev0002', 'hello', '1795500001.000100');
    assert.equal((await sendSlack(body, { ts: Math.floor(Date.now() / 1000) - 6 * 60 })).status, 401);
    assert.ok([401, 403].includes((await sendSlack(body, { secret: 'nope' })).status));
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(slack.received.filter((m) => m.threadTs === '1795500001.000100').length, 0);
  });
});
