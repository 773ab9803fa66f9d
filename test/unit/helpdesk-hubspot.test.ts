import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { Signature } from '@hubspot/api-client/lib/src/utils/signature.js';
import { HubSpotHelpdesk } from '../../integrations/helpdesk/hubspot/adapter.ts';
import { hubspotSignatureUri, hubspotSignatureV3 } from '../../integrations/helpdesk/hubspot/signature.ts';
import { hubspotWebhook } from '../../integrations/helpdesk/hubspot/webhook.ts';
import type { HelpdeskConfig, NewTicket, RawHelpdeskWebhook } from '../../integrations/helpdesk/types.ts';
import { IntegrationError } from '../../integrations/types.ts';
import { startHubSpotEmulator, type HubSpotEmulator } from '../emulators/hubspot/index.ts';

let emulator: HubSpotEmulator;
let config: HelpdeskConfig;
const hubspot = new HubSpotHelpdesk({ timeoutMs: 2000 });

before(async () => {
  emulator = await startHubSpotEmulator();
  config = {
    workspaceId: 'acme',
    helpdesk: 'hubspot',
    routingKey: emulator.portalId,
    baseUrl: emulator.url,
    credentials: { accessToken: emulator.accessToken, clientSecret: emulator.clientSecret },
    settings: {},
  };
});
after(() => emulator.close());
beforeEach(() => emulator.reset());

const customer = { customerId: 'cus_123', name: 'Ada King Lovelace', email: 'ada@example.com' };
const newTicket = (requesterId: string, externalId = 'threadline:conv-1:1'): NewTicket => ({
  externalId, subject: 'Refund for order 42', requester: customer, requesterId, channel: 'sms', priority: 'normal',
  transcript: 'customer: where is my refund?\nbot: <let me get a human>', summary: 'Wants a refund',
});
const isError = (type: IntegrationError['type'], retryable: boolean, extra: (e: IntegrationError) => boolean = () => true) => (err: unknown) =>
  err instanceof IntegrationError && err.type === type && err.retryable === retryable && extra(err);
const notesOf = (ticketId: string, em = emulator) => em.associations.filter((a) => a.fromType === 'notes' && a.toId === ticketId && a.typeId === 228).map((a) => em.notes.find((n) => n.id === a.fromId));

test('the requester: created with our customer id, then found by it, by email, or by phone', async () => {
  const { requesterId } = await hubspot.ensureRequester(config, customer);
  const contact = emulator.contacts.find((c) => c.id === requesterId);
  assert.deepEqual([contact?.properties.threadline_customer_id, contact?.properties.firstname, contact?.properties.lastname, contact?.properties.email], ['cus_123', 'Ada King', 'Lovelace', 'ada@example.com']);
  assert.equal((await hubspot.ensureRequester(config, customer)).requesterId, requesterId);
  assert.equal((await hubspot.ensureRequester(config, { customerId: 'cus_other', email: 'ada@example.com' })).requesterId, requesterId, 'found by email');
  const byPhone = await hubspot.ensureRequester(config, { customerId: 'cus_p', phone: '+15555550100' });
  assert.equal((await hubspot.ensureRequester(config, { customerId: 'cus_q', phone: '+15555550100' })).requesterId, byPhone.requesterId, 'found by phone');
  assert.equal(emulator.contacts.length, 2);
});

test("search lags HubSpot's writes: a contact made a moment ago is taken from the 409's Existing ID", async (t) => {
  const lagging = await startHubSpotEmulator({ searchIndexDelayMs: 60_000 });
  t.after(() => lagging.close());
  const cfg = { ...config, baseUrl: lagging.url };
  const first = await hubspot.ensureRequester(cfg, customer);
  const second = await hubspot.ensureRequester(cfg, customer);
  assert.equal(second.requesterId, first.requesterId);
  assert.equal(lagging.contacts.length, 1);
});

test('findOrCreateTicket twice makes one ticket in the pipeline, associated to the contact, the transcript a note', async () => {
  const { requesterId } = await hubspot.ensureRequester(config, customer);
  const created = await hubspot.findOrCreateTicket(config, newTicket(requesterId));
  const found = await hubspot.findOrCreateTicket(config, newTicket(requesterId));
  assert.deepEqual([created.created, found.created, found.id], [true, false, created.id]);
  assert.equal(created.url, `https://app.hubspot.com/contacts/${emulator.portalId}/record/0-5/${created.id}`);
  assert.equal(emulator.tickets.length, 1);
  const p = emulator.tickets[0]?.properties;
  assert.deepEqual([p?.subject, p?.content, p?.hs_pipeline, p?.hs_pipeline_stage, p?.hs_ticket_priority, p?.threadline_external_id], ['Refund for order 42', 'Wants a refund', '0', '1', 'MEDIUM', 'threadline:conv-1:1']);
  assert.ok(emulator.associations.some((a) => a.fromType === 'tickets' && a.fromId === created.id && a.toId === requesterId && a.typeId === 16));
  const notes = notesOf(created.id);
  assert.equal(notes.length, 1);
  assert.match(notes[0]?.properties.hs_note_body ?? '', /Wants a refund.*where is my refund.*&lt;let me get a human&gt;/);
});

test('a transcript note lost to a failure is added when the ticket is found again', async () => {
  const { requesterId } = await hubspot.ensureRequester(config, customer);
  emulator.failNext(1, { status: 503 }, (req) => req.path === '/crm/v3/objects/notes');
  await assert.rejects(hubspot.findOrCreateTicket(config, newTicket(requesterId)), isError('unavailable', true));
  assert.equal(emulator.tickets.length, 1);
  const again = await hubspot.findOrCreateTicket(config, newTicket(requesterId));
  assert.equal(again.created, false);
  assert.equal(notesOf(again.id).length, 1);
});

test('with a unique external-id property the ticket is read by it, so lagging search cannot duplicate it', async (t) => {
  const lagging = await startHubSpotEmulator({ searchIndexDelayMs: 60_000, uniqueProperties: ['threadline_external_id'] });
  t.after(() => lagging.close());
  const cfg = { ...config, baseUrl: lagging.url, settings: { externalIdIsUnique: true } };
  const { requesterId } = await hubspot.ensureRequester(cfg, customer);
  const first = await hubspot.findOrCreateTicket(cfg, newTicket(requesterId));
  const second = await hubspot.findOrCreateTicket(cfg, newTicket(requesterId));
  assert.deepEqual([first.created, second.created, second.id], [true, false, first.id]);
  assert.equal(lagging.tickets.length, 1);
});

test('comments are notes labelled public or internal; status moves the stage, priority the property', async () => {
  const { requesterId } = await hubspot.ensureRequester(config, customer);
  const ref = await hubspot.findOrCreateTicket(config, newTicket(requesterId));
  const pub = await hubspot.addComment(config, ref, { messageId: 'm1', body: 'Any news?', public: true, authorName: 'Ada' });
  const internal = await hubspot.addComment(config, ref, { messageId: 'm2', body: 'bot: upset customer', public: false });
  assert.deepEqual([pub.duplicate, internal.duplicate], [false, false]);
  const body = (id: string) => emulator.notes.find((n) => n.id === id)?.properties.hs_note_body ?? '';
  assert.match(body(pub.commentId), /^<p><strong>\[Public message \(seen by the customer in Threadline\)\]<\/strong><\/p><p>Ada: Any news\?<\/p>$/);
  assert.match(body(internal.commentId), /Internal note \(not seen by the customer\)/);
  assert.equal(notesOf(ref.id).length, 3);

  const ticket = () => emulator.tickets[0]?.properties;
  for (const [status, stage] of [['open', '3'], ['pending', '2'], ['solved', '4']] as const) {
    await hubspot.setStatus(config, ref, status);
    assert.equal(ticket()?.hs_pipeline_stage, stage);
  }
  await hubspot.setPriority(config, ref, 'urgent');
  assert.equal(ticket()?.hs_ticket_priority, 'URGENT');
  // Custom pipeline stages come from settings; one that is not in the pipeline is HubSpot's 400, not retried.
  await assert.rejects(hubspot.setStatus({ ...config, settings: { stages: { open: '99' } } }, ref, 'open'), isError('invalid_request', false, (e) => e.status === 400 && /INVALID_OPTION/.test(e.message)));
});

test('errors: a missing custom property is a 400 with the vendor message; 429 waits for Retry-After; 5xx and timeouts retry; a bad token stops', async (t) => {
  const bare = await startHubSpotEmulator({ customProperties: { contacts: [], tickets: [] } });
  t.after(() => bare.close());
  await assert.rejects(hubspot.ensureRequester({ ...config, baseUrl: bare.url }, customer), isError('invalid_request', false, (e) => e.status === 400 && /VALIDATION_ERROR.*threadline_customer_id.*PROPERTY_DOESNT_EXIST/.test(e.message)));

  const { requesterId } = await hubspot.ensureRequester(config, customer);
  const ref = await hubspot.findOrCreateTicket(config, newTicket(requesterId));
  emulator.failNext(1, { status: 429, retryAfter: 10 });
  await assert.rejects(hubspot.setPriority(config, ref, 'low'), isError('rate_limited', true, (e) => e.status === 429 && e.retryAfterMs === 10_000 && /RATE_LIMIT/.test(e.message)));
  emulator.failNext(1, { status: 500 });
  await assert.rejects(hubspot.addComment(config, ref, { messageId: 'm', body: 'x', public: true }), isError('unavailable', true));
  emulator.failNext(1, { delayMs: 400 });
  await assert.rejects(new HubSpotHelpdesk({ timeoutMs: 100 }).setStatus(config, ref, 'open'), isError('timeout', true));
  await assert.rejects(hubspot.ensureRequester({ ...config, credentials: { accessToken: 'wrong' } }, customer), isError('unauthorized', false, (e) => e.status === 401 && /INVALID_AUTHENTICATION/.test(e.message)));
  await assert.rejects(hubspot.ensureRequester({ ...config, settings: { pipeline: {} } }, customer), isError('invalid_request', false));
});

// --- webhook -------------------------------------------------------------------------------------------------

async function receive(send: (url: string) => Promise<unknown>, path: string): Promise<RawHelpdeskWebhook> {
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

const URL_ = 'https://hub.example.com/v1/helpdesk/hubspot/webhook';
function signed(body: unknown, opts: { secret?: string; timestamp?: number; url?: string } = {}): RawHelpdeskWebhook {
  const raw = JSON.stringify(body);
  const timestamp = String(opts.timestamp ?? Date.now());
  const url = opts.url ?? URL_;
  return {
    method: 'POST',
    url,
    headers: { 'x-hubspot-signature-v3': hubspotSignatureV3(opts.secret ?? emulator.clientSecret, 'POST', url, raw, timestamp), 'x-hubspot-request-timestamp': timestamp },
    rawBody: Buffer.from(raw),
    query: Object.fromEntries(new URL(url).searchParams),
  };
}

test("the v3 signature agrees with the official SDK's Signature helper; HubSpot's listed characters are decoded in the URI", () => {
  const body = '[{"eventId":1,"subscriptionType":"ticket.propertyChange"}]';
  const timestamp = Date.now();
  const secret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
  const ours = hubspotSignatureV3(secret, 'POST', URL_, body, String(timestamp));
  assert.ok(Signature.isValid({ signatureVersion: 'v3', signature: ours, method: 'POST', clientSecret: secret, requestBody: body, url: URL_, timestamp }));
  assert.ok(!Signature.isValid({ signatureVersion: 'v3', signature: ours, method: 'POST', clientSecret: secret, requestBody: `${body} `, url: URL_, timestamp }));
  assert.equal(hubspotSignatureUri('https://h.example.com/w?x=a%3Ab%2Cc%20d'), 'https://h.example.com/w?x=a:b,c%20d');
  const encoded = signed([], { url: `${URL_}?next=%2Fa%3Ab` });
  assert.deepEqual(hubspotWebhook.verify(encoded, config, new Date()), { ok: true });
});

test('verify: good, bad, missing and stale signatures', () => {
  const now = new Date();
  const events = [{ subscriptionType: 'ticket.propertyChange', objectId: 1, propertyName: 'hs_pipeline_stage', propertyValue: '4', portalId: 62515 }];
  assert.deepEqual(hubspotWebhook.verify(signed(events), config, now), { ok: true });
  assert.deepEqual(hubspotWebhook.verify(signed(events, { secret: 'other' }), config, now), { ok: false, status: 401, reason: 'bad X-HubSpot-Signature-v3' });
  assert.equal(hubspotWebhook.verify({ ...signed(events), url: 'https://evil.example.com/v1/helpdesk/hubspot/webhook' }, config, now).ok, false);
  assert.equal(hubspotWebhook.verify({ ...signed(events), method: 'PUT' }, config, now).ok, false);
  const missing = signed(events);
  delete missing.headers['x-hubspot-request-timestamp'];
  assert.deepEqual(hubspotWebhook.verify(missing, config, now), { ok: false, status: 401, reason: 'missing X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp' });
  assert.deepEqual(hubspotWebhook.verify(signed(events, { timestamp: now.getTime() - 5 * 60_000 - 1 }), config, now), { ok: false, status: 401, reason: 'stale X-HubSpot-Request-Timestamp' });
  assert.deepEqual(hubspotWebhook.verify(signed(events, { timestamp: now.getTime() - 4 * 60_000 }), config, now), { ok: true });
});

test("the emulator's signed webhooks: stage changes become statuses, a public agent reply is delivered, an internal one is not", async () => {
  const { requesterId } = await hubspot.ensureRequester(config, customer);
  const ref = await hubspot.findOrCreateTicket(config, newTicket(requesterId));
  const req = await receive((url) => emulator.sendWebhook(url, [
    emulator.stageChange(ref.id, '3'),
    emulator.agentReply(ref.id, { body: 'Refund issued.', public: true, agentName: 'Alex' }),
    emulator.agentReply(ref.id, { body: 'note to self', public: false }),
    { subscriptionType: 'contact.creation', objectId: 5, portalId: Number(emulator.portalId) },
    emulator.stageChange(ref.id, '4'),
  ]), '/v1/helpdesk/hubspot/webhook');
  assert.equal(hubspotWebhook.routingKey(req), emulator.portalId);
  assert.deepEqual(hubspotWebhook.verify(req, config, new Date()), { ok: true });
  const events = hubspotWebhook.parse(req, config);
  assert.equal(events.length, 3);
  assert.deepEqual(events[0], { type: 'status', ticketId: ref.id, status: 'open' });
  assert.deepEqual({ ...events[1], commentId: 'x' }, { type: 'agent_reply', ticketId: ref.id, commentId: 'x', body: 'Refund issued.', public: true, agentName: 'Alex' });
  assert.deepEqual(events[2], { type: 'status', ticketId: ref.id, status: 'closed' });

  // One object (a workflow action), the portal on the URL, custom stages from settings.
  const single = await receive((url) => emulator.sendWebhook(url, emulator.stageChange(ref.id, '2')), '/v1/helpdesk/hubspot/webhook?account=777');
  assert.equal(hubspotWebhook.routingKey(single), '777');
  assert.deepEqual(hubspotWebhook.verify(single, config, new Date()), { ok: true });
  assert.deepEqual(hubspotWebhook.parse(single, { ...config, settings: { stages: { pending: '3', solved: '2' } } }), [{ type: 'status', ticketId: ref.id, status: 'solved' }]);
  assert.throws(() => hubspotWebhook.parse({ ...single, rawBody: Buffer.from('nope') }, config), (e: unknown) => e instanceof IntegrationError && e.status === 400);
});
