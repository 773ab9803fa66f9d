import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { ZendeskHelpdesk } from '../../integrations/helpdesk/zendesk/adapter.ts';
import { zendeskSignature } from '../../integrations/helpdesk/zendesk/signature.ts';
import { zendeskWebhook } from '../../integrations/helpdesk/zendesk/webhook.ts';
import type { HelpdeskConfig, NewTicket, RawHelpdeskWebhook } from '../../integrations/helpdesk/types.ts';
import { IntegrationError } from '../../integrations/types.ts';
import { startZendeskEmulator, type ZendeskEmulator } from '../emulators/zendesk/index.ts';

let emulator: ZendeskEmulator;
let config: HelpdeskConfig;
const zendesk = new ZendeskHelpdesk({ timeoutMs: 2000 });

before(async () => {
  emulator = await startZendeskEmulator();
  config = {
    workspaceId: 'acme',
    helpdesk: 'zendesk',
    routingKey: emulator.subdomain,
    baseUrl: emulator.url,
    credentials: { email: emulator.email, apiToken: emulator.apiToken, webhookSecret: emulator.webhookSecret },
    settings: {},
  };
});
after(() => emulator.close());
beforeEach(() => emulator.reset());

const customer = { customerId: 'cus_123', name: 'Ada Lovelace', email: 'ada@example.com' };

function newTicket(requesterId: string, externalId = 'threadline:conv-1:1'): NewTicket {
  return { externalId, subject: 'Refund for order 42', requester: customer, requesterId, channel: 'whatsapp', priority: 'high', transcript: 'customer: where is my refund?\nbot: let me get a human', summary: 'Wants a refund' };
}

const isError = (type: IntegrationError['type'], retryable: boolean, extra: (e: IntegrationError) => boolean = () => true) => (err: unknown) =>
  err instanceof IntegrationError && err.type === type && err.retryable === retryable && extra(err);

test('the requester is created once, then found by external_id', async () => {
  const first = await zendesk.ensureRequester(config, customer);
  const again = await zendesk.ensureRequester(config, { ...customer, phone: '+15555550100' });
  assert.equal(again.requesterId, first.requesterId);
  const user = emulator.users.find((u) => String(u.id) === first.requesterId);
  assert.deepEqual([user?.external_id, user?.name, user?.email, user?.phone, user?.role], ['cus_123', 'Ada Lovelace', 'ada@example.com', '+15555550100', 'end-user']);
  // No name: Zendesk requires one, so the adapter sends the best it knows.
  const anon = await zendesk.ensureRequester(config, { customerId: 'cus_anon' });
  assert.equal(emulator.users.find((u) => String(u.id) === anon.requesterId)?.name, 'Customer cus_anon');
});

test('findOrCreateTicket twice makes one ticket, the transcript an internal first comment', async () => {
  const { requesterId } = await zendesk.ensureRequester(config, customer);
  const created = await zendesk.findOrCreateTicket(config, newTicket(requesterId));
  const found = await zendesk.findOrCreateTicket(config, newTicket(requesterId));
  assert.equal(created.created, true);
  assert.equal(found.created, false);
  assert.equal(found.id, created.id);
  assert.equal(created.url, `${emulator.url}/agent/tickets/${created.id}`);
  assert.equal(emulator.tickets.length, 1);
  const [ticket] = emulator.tickets;
  assert.deepEqual([ticket?.external_id, String(ticket?.requester_id), ticket?.priority, ticket?.status, ticket?.tags], ['threadline:conv-1:1', requesterId, 'high', 'new', ['threadline', 'whatsapp']]);
  assert.equal(emulator.comments.length, 1);
  assert.equal(emulator.comments[0]?.public, false);
  assert.match(emulator.comments[0]?.body ?? '', /Wants a refund[\s\S]*where is my refund/);
});

test('Zendesk does not keep external_id unique: the adapter takes the oldest ticket that has it', async () => {
  const { requesterId } = await zendesk.ensureRequester(config, customer);
  const auth = `Basic ${Buffer.from(`${emulator.email}/token:${emulator.apiToken}`).toString('base64')}`;
  for (const subject of ['first', 'second']) {
    const res = await fetch(`${emulator.url}/api/v2/tickets.json`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ ticket: { subject, external_id: 'threadline:dup:1', requester_id: Number(requesterId), comment: { body: subject } } }),
    });
    assert.equal(res.status, 201);
  }
  const ref = await zendesk.findOrCreateTicket(config, newTicket(requesterId, 'threadline:dup:1'));
  assert.equal(ref.created, false);
  assert.equal(ref.id, String(emulator.tickets.find((t) => t.subject === 'first')?.id));
  assert.equal(emulator.tickets.length, 2);
});

test('comments: public and internal, named by the audit; status and priority by ticket update', async () => {
  const { requesterId } = await zendesk.ensureRequester(config, customer);
  const ref = await zendesk.findOrCreateTicket(config, newTicket(requesterId));
  const pub = await zendesk.addComment(config, ref, { messageId: 'm1', body: 'Any news?', public: true, authorName: 'Ada' });
  const note = await zendesk.addComment(config, ref, { messageId: 'm2', body: 'bot: customer is upset', public: false });
  assert.deepEqual([pub.duplicate, note.duplicate], [false, false]);
  const byId = (id: string) => emulator.comments.find((c) => String(c.id) === id);
  assert.deepEqual([byId(pub.commentId)?.body, byId(pub.commentId)?.public], ['Ada: Any news?', true]);
  assert.deepEqual([byId(note.commentId)?.body, byId(note.commentId)?.public], ['bot: customer is upset', false]);

  await zendesk.setStatus(config, ref, 'pending');
  await zendesk.setPriority(config, ref, 'urgent');
  assert.deepEqual([emulator.tickets[0]?.status, emulator.tickets[0]?.priority], ['pending', 'urgent']);
});

test('a 422 carries the vendor message and is not retried; a 429 waits for Retry-After; 5xx and timeouts retry', async () => {
  const { requesterId } = await zendesk.ensureRequester(config, customer);
  const ref = await zendesk.findOrCreateTicket(config, newTicket(requesterId));
  await assert.rejects(zendesk.ensureRequester(config, { customerId: 'x', email: 'not-an-email' }), isError('invalid_request', false, (e) => e.status === 422 && /not properly formatted/.test(e.message)));

  emulator.failNext(1, { status: 429, retryAfter: 7 });
  await assert.rejects(zendesk.setPriority(config, ref, 'low'), isError('rate_limited', true, (e) => e.status === 429 && e.retryAfterMs === 7000));
  emulator.failNext(1, { status: 503 });
  await assert.rejects(zendesk.addComment(config, ref, { messageId: 'm', body: 'x', public: true }), isError('unavailable', true, (e) => e.status === 503));
  emulator.failNext(1, { delayMs: 500 });
  await assert.rejects(new ZendeskHelpdesk({ timeoutMs: 100 }).setStatus(config, ref, 'open'), isError('timeout', true));

  await zendesk.setStatus(config, ref, 'closed');
  await assert.rejects(zendesk.setStatus(config, ref, 'open'), isError('invalid_request', false, (e) => /closed prevents ticket update/.test(e.message)));
});

test('credentials: a wrong API token is unauthorized; an OAuth token works; none at all is refused before calling', async () => {
  await assert.rejects(zendesk.ensureRequester({ ...config, credentials: { email: emulator.email, apiToken: 'wrong' } }, customer), isError('unauthorized', false, (e) => e.status === 401 && /authenticate/.test(e.message)));
  const oauth = await zendesk.ensureRequester({ ...config, credentials: { oauthToken: emulator.oauthToken } }, customer);
  assert.match(oauth.requesterId, /^\d+$/);
  const before = emulator.requests.length;
  await assert.rejects(zendesk.ensureRequester({ ...config, credentials: {} }, customer), isError('unauthorized', false));
  assert.equal(emulator.requests.length, before);
});

// --- webhook -------------------------------------------------------------------------------------------------

async function receive(send: (url: string) => Promise<unknown>, path = '/v1/helpdesk/zendesk/webhook?account=acme'): Promise<RawHelpdeskWebhook> {
  let captured: RawHelpdeskWebhook | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
      captured = { method: req.method ?? 'POST', url: url.toString(), headers, rawBody: Buffer.concat(chunks), query: Object.fromEntries(url.searchParams) };
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await send(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
  } finally {
    server.close();
  }
  assert.ok(captured, 'the webhook arrived');
  return captured;
}

function signed(body: object, opts: { secret?: string; timestamp?: string } = {}): RawHelpdeskWebhook {
  const raw = JSON.stringify(body);
  const timestamp = opts.timestamp ?? new Date().toISOString();
  return {
    method: 'POST',
    url: 'https://hub.example.com/v1/helpdesk/zendesk/webhook',
    headers: { 'x-zendesk-webhook-signature': zendeskSignature(opts.secret ?? emulator.webhookSecret, timestamp, raw), 'x-zendesk-webhook-signature-timestamp': timestamp },
    rawBody: Buffer.from(raw),
    query: {},
  };
}

test('the signature is base64 HMAC-SHA256 over timestamp + body, as Zendesk documents', () => {
  const expected = createHmac('sha256', 'dGhpc19zZWNyZXQ').update('2024-05-01T10:00:00Z{"ticket_id":"1"}').digest('base64');
  assert.equal(zendeskSignature('dGhpc19zZWNyZXQ', '2024-05-01T10:00:00Z', Buffer.from('{"ticket_id":"1"}')), expected);
});

test('verify: good, bad, missing and stale signatures', () => {
  const now = new Date();
  const body = { ticket_id: '1', status: 'open' };
  assert.deepEqual(zendeskWebhook.verify(signed(body), config, now), { ok: true });
  const bad = zendeskWebhook.verify(signed(body, { secret: 'other' }), config, now);
  assert.deepEqual(bad, { ok: false, status: 401, reason: 'bad X-Zendesk-Webhook-Signature' });
  const tampered = { ...signed(body), rawBody: Buffer.from(JSON.stringify({ ticket_id: '2', status: 'open' })) };
  assert.equal(zendeskWebhook.verify(tampered, config, now).ok, false);
  const missing = signed(body);
  delete missing.headers['x-zendesk-webhook-signature'];
  assert.deepEqual(zendeskWebhook.verify(missing, config, now), { ok: false, status: 401, reason: 'missing X-Zendesk-Webhook-Signature or its timestamp' });
  const old = signed(body, { timestamp: new Date(now.getTime() - 6 * 60_000).toISOString() });
  assert.deepEqual(zendeskWebhook.verify(old, config, now), { ok: false, status: 401, reason: 'stale X-Zendesk-Webhook-Signature-Timestamp' });
  assert.equal(zendeskWebhook.verify(signed(body), { ...config, credentials: {} }, now).ok, false);
});

test("the emulator's signed webhooks: an agent's public reply is delivered, an internal note never is, status maps 1:1", async () => {
  const { requesterId } = await zendesk.ensureRequester(config, customer);
  const ref = await zendesk.findOrCreateTicket(config, newTicket(requesterId));

  const reply = await receive((url) => emulator.sendWebhook(url, emulator.agentComment(ref.id, { body: 'Refund issued.', public: true })));
  assert.equal(zendeskWebhook.routingKey(reply), 'acme');
  assert.deepEqual(zendeskWebhook.verify(reply, config, new Date()), { ok: true });
  const commentId = String(emulator.comments.at(-1)?.id);
  assert.deepEqual(zendeskWebhook.parse(reply, config), [
    { type: 'agent_reply', ticketId: ref.id, externalId: ref.externalId, commentId, body: 'Refund issued.', public: true, agentName: 'Alex Agent' },
    { type: 'status', ticketId: ref.id, externalId: ref.externalId, status: 'new' },
  ]);

  const note = await receive((url) => emulator.sendWebhook(url, emulator.agentComment(ref.id, { body: 'customer seems upset', public: false })));
  assert.deepEqual(zendeskWebhook.verify(note, config, new Date()), { ok: true });
  assert.deepEqual(zendeskWebhook.parse(note, config).map((e) => e.type), ['status']);

  const own = await receive((url) => emulator.sendWebhook(url, emulator.agentComment(ref.id, { body: 'thanks', public: true, role: 'end-user' })));
  assert.deepEqual(zendeskWebhook.parse(own, config).map((e) => e.type), ['status']);

  for (const [status, expected] of [['solved', 'solved'], ['hold', 'pending'], ['Open', 'open']] as const) {
    const changed = await receive((url) => emulator.sendWebhook(url, emulator.changeStatus(ref.id, status)));
    assert.deepEqual(zendeskWebhook.parse(changed, config), [{ type: 'status', ticketId: ref.id, externalId: ref.externalId, status: expected }]);
  }
});

test('routing key from the body when the URL has none; a body without ticket_id is a 400', () => {
  const req = signed({ ticket_id: 5, account: 'globex', status: '' });
  assert.equal(zendeskWebhook.routingKey(req), 'globex');
  assert.deepEqual(zendeskWebhook.parse(req, config), []);
  assert.throws(() => zendeskWebhook.parse(signed({ status: 'open' }), config), (e: unknown) => e instanceof IntegrationError && e.status === 400);
  assert.deepEqual(zendeskWebhook.ack(), { status: 200, contentType: 'application/json', body: '{"received":true}' });
});
