import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { SalesforceHelpdesk } from '../../integrations/helpdesk/salesforce/adapter.ts';
import { salesforceWebhook } from '../../integrations/helpdesk/salesforce/webhook.ts';
import type { HelpdeskConfig, NewTicket, RawHelpdeskWebhook } from '../../integrations/helpdesk/types.ts';
import { IntegrationError } from '../../integrations/types.ts';
import { startSalesforceEmulator, type OutboundNotification, type SalesforceEmulator } from '../emulators/salesforce/index.ts';

let emulator: SalesforceEmulator;
let config: HelpdeskConfig;
let salesforce: SalesforceHelpdesk;

before(async () => {
  emulator = await startSalesforceEmulator();
  config = {
    workspaceId: 'acme',
    helpdesk: 'salesforce',
    routingKey: emulator.orgId,
    baseUrl: emulator.url,
    credentials: { clientId: emulator.clientId, clientSecret: emulator.clientSecret, outboundSecret: 'outbound-secret' },
    settings: {},
  };
});
after(() => emulator.close());
beforeEach(() => {
  emulator.reset();
  // A fresh adapter per test: its token cache starts empty.
  salesforce = new SalesforceHelpdesk({ timeoutMs: 2000 });
});

const customer = { customerId: 'cus/123:+a@b', name: 'Ada Lovelace', email: 'ada@example.com' };
const newTicket = (requesterId: string, externalId = 'threadline:conv-1:1'): NewTicket => ({
  externalId, subject: 'Refund for order 42', requester: customer, requesterId, channel: 'whatsapp', priority: 'high',
  transcript: 'customer: where is my refund?\nbot: let me get a human', summary: 'Wants a refund',
});
const isError = (type: IntegrationError['type'], retryable: boolean, extra: (e: IntegrationError) => boolean = () => true) => (err: unknown) =>
  err instanceof IntegrationError && err.type === type && err.retryable === retryable && extra(err);

test('client credentials: one token for many calls; the Contact is upserted by its External ID', async () => {
  const first = await salesforce.ensureRequester(config, customer);
  const again = await salesforce.ensureRequester(config, { ...customer, phone: '+15555550100' });
  assert.equal(again.requesterId, first.requesterId);
  assert.equal(emulator.contacts.length, 1);
  const c = emulator.contacts[0];
  assert.deepEqual([c?.Threadline_Customer_Id__c, c?.FirstName, c?.LastName, c?.Email, c?.Phone], ['cus/123:+a@b', 'Ada', 'Lovelace', 'ada@example.com', '+15555550100']);
  assert.equal(emulator.tokensIssued.length, 1);
  assert.ok(emulator.requests.some((r) => r.method === 'POST' && r.path === '/services/oauth2/token' && r.status === 200));
  // No name: LastName is required, so the best known identifier stands in.
  const anon = await salesforce.ensureRequester(config, { customerId: 'cus_anon' });
  assert.equal(emulator.contacts.find((x) => x.Id === anon.requesterId)?.LastName, 'Customer cus_anon');
});

test('findOrCreateTicket twice makes one Case; a retry leaves what the agent changed', async () => {
  const { requesterId } = await salesforce.ensureRequester(config, customer);
  const created = await salesforce.findOrCreateTicket(config, newTicket(requesterId));
  assert.equal(created.created, true);
  assert.equal(created.url, `${emulator.url}/lightning/r/Case/${created.id}/view`);
  const c = emulator.cases[0];
  assert.deepEqual([c?.Threadline_External_Id__c, c?.Subject, c?.Origin, c?.Priority, c?.Status, c?.ContactId], ['threadline:conv-1:1', 'Refund for order 42', 'WhatsApp', 'High', 'New', requesterId]);
  assert.match(String(c?.Description), /Wants a refund[\s\S]*where is my refund/);

  emulator.changeStatus(created.id, 'Working');
  const found = await salesforce.findOrCreateTicket(config, newTicket(requesterId));
  assert.deepEqual([found.created, found.id], [false, created.id]);
  assert.equal(emulator.cases.length, 1);
  assert.equal(emulator.cases[0]?.Status, 'Working');
});

test('CaseComments: published or not; Status and Priority through the settings maps', async () => {
  const { requesterId } = await salesforce.ensureRequester(config, customer);
  const ref = await salesforce.findOrCreateTicket(config, newTicket(requesterId));
  const pub = await salesforce.addComment(config, ref, { messageId: 'm1', body: 'Any news?', public: true, authorName: 'Ada' });
  const note = await salesforce.addComment(config, ref, { messageId: 'm2', body: 'bot: upset customer', public: false });
  assert.deepEqual([pub.duplicate, note.duplicate], [false, false]);
  const byId = (id: string) => emulator.caseComments.find((x) => x.Id === id);
  assert.deepEqual([byId(pub.commentId)?.ParentId, byId(pub.commentId)?.CommentBody, byId(pub.commentId)?.IsPublished], [ref.id, 'Ada: Any news?', true]);
  assert.equal(byId(note.commentId)?.IsPublished, false);

  for (const [status, value] of [['open', 'Working'], ['pending', 'Escalated'], ['solved', 'Closed']] as const) {
    await salesforce.setStatus(config, ref, status);
    assert.equal(emulator.cases[0]?.Status, value);
  }
  await salesforce.setPriority(config, ref, 'low');
  assert.equal(emulator.cases[0]?.Priority, 'Low');
  await salesforce.setStatus({ ...config, settings: { statuses: { open: 'New' } } }, ref, 'open');
  assert.equal(emulator.cases[0]?.Status, 'New');
});

test('an expired session gets one new token and the call runs again; a session refused twice is unauthorized', async () => {
  const { requesterId } = await salesforce.ensureRequester(config, customer);
  emulator.expireSessions();
  const ref = await salesforce.findOrCreateTicket(config, newTicket(requesterId));
  assert.equal(emulator.tokensIssued.length, 2);
  assert.equal(emulator.cases.length, 1);

  emulator.expireSessions({ keepRejecting: true });
  await assert.rejects(salesforce.setStatus(config, ref, 'open'), isError('unauthorized', false, (e) => e.status === 401 && /INVALID_SESSION_ID/.test(e.message)));
  assert.equal(emulator.tokensIssued.length, 3, 'exactly one refresh');
});

test('errors: vendor 400s are not retried and keep the message; 429 waits for Retry-After; 5xx and timeouts retry', async () => {
  const { requesterId } = await salesforce.ensureRequester(config, customer);
  const ref = await salesforce.findOrCreateTicket(config, newTicket(requesterId));
  await assert.rejects(salesforce.addComment(config, ref, { messageId: 'm', body: '', public: true }), isError('invalid_request', false, (e) => e.status === 400 && /REQUIRED_FIELD_MISSING Required fields are missing: \[CommentBody\]/.test(e.message)));
  await assert.rejects(salesforce.setStatus({ ...config, settings: { statuses: { open: 'In Progress' } } }, ref, 'open'), isError('invalid_request', false, (e) => /INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST/.test(e.message)));
  await assert.rejects(salesforce.findOrCreateTicket({ ...config, settings: { caseExternalIdField: 'Nope__c' } }, newTicket(requesterId, 'x')), isError('invalid_request', false, (e) => /INVALID_FIELD/.test(e.message)));
  await assert.rejects(salesforce.setStatus({ ...config, settings: { caseExternalIdField: 'Bad Field' } }, ref, 'open'), isError('invalid_request', false));

  emulator.failNext(1, { status: 429, retryAfter: 3 });
  await assert.rejects(salesforce.setPriority(config, ref, 'high'), isError('rate_limited', true, (e) => e.status === 429 && e.retryAfterMs === 3000 && /REQUEST_LIMIT_EXCEEDED/.test(e.message)));
  emulator.failNext(1, { status: 503 });
  await assert.rejects(salesforce.addComment(config, ref, { messageId: 'm', body: 'x', public: true }), isError('unavailable', true, (e) => e.status === 503));
  emulator.failNext(1, { delayMs: 500 });
  await assert.rejects(new SalesforceHelpdesk({ timeoutMs: 100 }).setStatus(config, ref, 'open'), isError('timeout', true));
  assert.equal(emulator.caseComments.length, 0);
});

test('client credentials refused: unauthorized, not retried, and nothing is cached', async () => {
  const wrong = { ...config, credentials: { ...config.credentials, clientSecret: 'nope' } };
  await assert.rejects(salesforce.ensureRequester(wrong, customer), isError('unauthorized', false, (e) => e.status === 400 && /invalid_client/.test(e.message)));
  emulator.failNext(1, { status: 503 }, (req) => req.path === '/services/oauth2/token');
  await assert.rejects(salesforce.ensureRequester(config, customer), isError('unavailable', true));
  assert.ok((await salesforce.ensureRequester(config, customer)).requesterId);
  await assert.rejects(salesforce.ensureRequester({ ...config, credentials: {} }, customer), isError('unauthorized', false));
});

// --- outbound messages -----------------------------------------------------------------------------------------

async function receive(send: (url: string) => Promise<{ acked: boolean }>, path: string, reply = salesforceWebhook.ack()): Promise<{ req: RawHelpdeskWebhook; acked: boolean }> {
  let captured: RawHelpdeskWebhook | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
      captured = { method: req.method ?? 'POST', url: url.toString(), headers, rawBody: Buffer.concat(chunks), query: Object.fromEntries(url.searchParams) };
      res.writeHead(reply.status, { 'content-type': reply.contentType }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let acked = false;
  try {
    acked = (await send(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`)).acked;
  } finally {
    server.close();
  }
  assert.ok(captured, 'the outbound message arrived');
  return { req: captured, acked };
}

const PATH = '/v1/helpdesk/salesforce/outbound?secret=outbound-secret';

test('verify: the shared secret (query or header) and the OrganizationId', async () => {
  const { requesterId } = await salesforce.ensureRequester(config, customer);
  const ref = await salesforce.findOrCreateTicket(config, newTicket(requesterId));
  const status = emulator.changeStatus(ref.id, 'Working');
  const { req, acked } = await receive((url) => emulator.sendWebhook(url, status), PATH);
  assert.ok(acked, "Salesforce accepts the adapter's Ack");
  assert.equal(salesforceWebhook.routingKey(req), emulator.orgId);
  const now = new Date();
  assert.deepEqual(salesforceWebhook.verify(req, config, now), { ok: true });
  assert.deepEqual(salesforceWebhook.verify(req, { ...config, routingKey: emulator.orgId.slice(0, 15) }, now), { ok: true }, 'a 15-character org id is the same org');
  assert.deepEqual(salesforceWebhook.verify({ ...req, query: {} }, config, now), { ok: false, status: 401, reason: 'missing outbound message secret' });
  assert.deepEqual(salesforceWebhook.verify({ ...req, query: { secret: 'outbound-secreT' } }, config, now), { ok: false, status: 401, reason: 'bad outbound message secret' });
  assert.equal(salesforceWebhook.verify(req, { ...config, credentials: {} }, now).ok, false);
  assert.deepEqual(salesforceWebhook.verify(req, { ...config, routingKey: '00DDn00000OtHeRAAA' }, now), { ok: false, status: 403, reason: "OrganizationId is not the workspace's org" });

  const viaHeader = await receive((url) => emulator.sendWebhook(url, status, { headers: { 'x-threadline-secret': 'outbound-secret' } }), '/v1/helpdesk/salesforce/outbound');
  assert.deepEqual(salesforceWebhook.verify(viaHeader.req, config, now), { ok: true });
  const otherOrg = await receive((url) => emulator.sendWebhook(url, status, { orgId: '00DDn00000OtHeRAAA' }), PATH);
  assert.equal(salesforceWebhook.verify(otherOrg.req, config, now).ok, false);
});

test('parse: a published agent comment is a reply; unpublished ones and our own are not; Case Status becomes status', async () => {
  const { requesterId } = await salesforce.ensureRequester(config, customer);
  const ref = await salesforce.findOrCreateTicket(config, newTicket(requesterId));
  const notifications: OutboundNotification[] = [
    emulator.agentComment(ref.id, { body: 'Refund issued <today> & done.', isPublished: true }),
    emulator.agentComment(ref.id, { body: 'internal: check fraud', isPublished: false }),
    emulator.agentComment(ref.id, { body: 'echo of a bot message', isPublished: true, byIntegrationUser: true }),
    emulator.changeStatus(ref.id, 'Closed'),
  ];
  const { req, acked } = await receive((url) => emulator.sendWebhook(url, notifications), PATH);
  assert.ok(acked);
  const cfg = { ...config, settings: { integrationUserId: emulator.integrationUserId } };
  const replyId = emulator.caseComments.find((c) => c.CommentBody === 'Refund issued <today> & done.')?.Id;
  assert.deepEqual(salesforceWebhook.parse(req, cfg), [
    { type: 'agent_reply', ticketId: ref.id, commentId: replyId, body: 'Refund issued <today> & done.', public: true },
    { type: 'status', ticketId: ref.id, externalId: ref.externalId, status: 'closed' },
  ]);
  // Without the integration user's id, its published comments cannot be told from an agent's.
  assert.equal(salesforceWebhook.parse(req, config).filter((e) => e.type === 'agent_reply').length, 2);
  assert.throws(() => salesforceWebhook.parse({ ...req, rawBody: Buffer.from('<nope') }, config), (e: unknown) => e instanceof IntegrationError && e.status === 400);
  assert.equal(salesforceWebhook.routingKey({ ...req, rawBody: Buffer.from('{}') }), undefined);
});

test('the Ack is the SOAP notificationsResponse in the outbound namespace; anything else is not an ack', async () => {
  const ack = salesforceWebhook.ack();
  assert.equal(ack.status, 200);
  assert.match(ack.contentType, /^text\/xml/);
  assert.match(ack.body, /<notificationsResponse xmlns="http:\/\/soap\.sforce\.com\/2005\/09\/outbound"><Ack>true<\/Ack><\/notificationsResponse>/);
  const { requesterId } = await salesforce.ensureRequester(config, customer);
  const ref = await salesforce.findOrCreateTicket(config, newTicket(requesterId));
  const notAck = await receive((url) => emulator.sendWebhook(url, emulator.changeStatus(ref.id, 'Working')), PATH, { status: 200, contentType: 'application/json', body: '{"received":true}' });
  assert.equal(notAck.acked, false);
});
