// Handoff to Zendesk, HubSpot and Salesforce through their official SDKs against emulators of their APIs:
// widget → handoff → ticket with the transcript → a signed agent reply arrives live in the widget → solve → reopen.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stateQuery } from '../../workflows/conversation.messages.ts';
import { http, type TestApp } from '../helpers/app.ts';
import { eventually, startKnowledgeApp } from '../helpers/channels.ts';
import { ask, history, newSession } from '../helpers/widget.ts';
import { startHubSpotEmulator, type HubSpotEmulator } from '../emulators/hubspot/index.ts';
import { startSalesforceEmulator, type SalesforceEmulator } from '../emulators/salesforce/index.ts';
import { startZendeskEmulator, type ZendeskEmulator } from '../emulators/zendesk/index.ts';

interface Driver {
  name: 'zendesk' | 'hubspot' | 'salesforce';
  connect(): Record<string, unknown>;
  /** The vendor's ticket for this external id, with the text of everything attached to it. */
  ticket(externalId: string): { id: string; text: string } | undefined;
  tickets(externalId: string): number;
  /** Sends the agent's comment webhook `times` times (a vendor redelivering it); returns the last status. */
  reply(ticketId: string, body: string, isPublic: boolean, times?: number): Promise<number>;
  solve(ticketId: string): Promise<number>;
  status(ticketId: string): string;
  priority(ticketId: string): string;
  rateLimit(n: number): void;
}

describe('handoff to vendor help desks', () => {
  let t: TestApp;
  let zd: ZendeskEmulator;
  let hs: HubSpotEmulator;
  let sf: SalesforceEmulator;
  const hook = (path: string, account: string) => `${t.baseUrl}/v1/helpdesk/${path}?account=${encodeURIComponent(account)}`;

  before(async () => {
    [zd, hs, sf] = await Promise.all([startZendeskEmulator({ subdomain: `acme-${Date.now().toString(36)}` }), startHubSpotEmulator(), startSalesforceEmulator()]);
    t = await startKnowledgeApp({ HELPDESK_RATES: 'zendesk=20,hubspot=20,salesforce=20,local=50' });
  });
  after(async () => {
    await t?.stop();
    await Promise.all([zd?.close(), hs?.close(), sf?.close()]);
  });

  const drivers: Driver[] = [
    {
      name: 'zendesk',
      connect: () => ({ helpdesk: 'zendesk', routingKey: zd.subdomain, baseUrl: zd.url, credentials: { email: zd.email, apiToken: zd.apiToken, webhookSecret: zd.webhookSecret } }),
      ticket: (ext) => {
        const tk = zd.tickets.find((x) => x.external_id === ext);
        return tk && { id: String(tk.id), text: [tk.description, ...zd.comments.filter((c) => c.ticket_id === tk.id).map((c) => c.body)].join('\n') };
      },
      tickets: (ext) => zd.tickets.filter((x) => x.external_id === ext).length,
      reply: async (id, body, isPublic, times = 1) => {
        const payload = zd.agentComment(id, { body, public: isPublic });
        let status = 0;
        for (let i = 0; i < times; i++) status = (await zd.sendWebhook(hook('zendesk/webhook', zd.subdomain), payload)).status;
        return status;
      },
      solve: async (id) => (await zd.sendWebhook(hook('zendesk/webhook', zd.subdomain), zd.changeStatus(id, 'solved'))).status,
      status: (id) => zd.tickets.find((x) => String(x.id) === id)!.status,
      priority: (id) => String(zd.tickets.find((x) => String(x.id) === id)!.priority),
      rateLimit: (n) => zd.failNext(n, { status: 429, retryAfter: 1 }, (r) => r.method === 'POST'),
    },
    {
      name: 'hubspot',
      connect: () => ({ helpdesk: 'hubspot', routingKey: hs.portalId, baseUrl: hs.url, credentials: { accessToken: hs.accessToken, clientSecret: hs.clientSecret } }),
      ticket: (ext) => {
        const tk = hs.tickets.find((x) => x.properties.threadline_external_id === ext);
        if (!tk) return undefined;
        const notes = hs.associations.filter((a) => a.toType === 'tickets' && a.toId === tk.id).map((a) => hs.notes.find((n) => n.id === a.fromId)?.properties.hs_note_body ?? '');
        return { id: tk.id, text: [tk.properties.content ?? '', ...notes].join('\n') };
      },
      tickets: (ext) => hs.tickets.filter((x) => x.properties.threadline_external_id === ext).length,
      reply: async (id, body, isPublic, times = 1) => {
        const event = hs.agentReply(id, { body, public: isPublic });
        let status = 0;
        for (let i = 0; i < times; i++) status = (await hs.sendWebhook(hook('hubspot/webhook', hs.portalId), event)).status;
        return status;
      },
      solve: async (id) => (await hs.sendWebhook(hook('hubspot/webhook', hs.portalId), hs.stageChange(id, '4'))).status,
      status: (id) => String(hs.tickets.find((x) => x.id === id)!.properties.hs_pipeline_stage),
      priority: (id) => String(hs.tickets.find((x) => x.id === id)!.properties.hs_ticket_priority),
      rateLimit: (n) => hs.failNext(n, { status: 429, retryAfter: 1 }, (r) => r.method === 'POST'),
    },
    {
      name: 'salesforce',
      connect: () => ({ helpdesk: 'salesforce', routingKey: sf.orgId, baseUrl: sf.url, credentials: { clientId: sf.clientId, clientSecret: sf.clientSecret, outboundSecret: 'sf-outbound' }, settings: { integrationUserId: sf.integrationUserId } }),
      ticket: (ext) => {
        const c = sf.cases.find((x) => x.Threadline_External_Id__c === ext);
        return c && { id: String(c.Id), text: [String(c.Description ?? ''), ...sf.caseComments.filter((x) => x.ParentId === c.Id).map((x) => String(x.CommentBody))].join('\n') };
      },
      tickets: (ext) => sf.cases.filter((x) => x.Threadline_External_Id__c === ext).length,
      reply: async (id, body, isPublic, times = 1) => {
        const note = sf.agentComment(id, { body, isPublished: isPublic });
        let status = 0;
        for (let i = 0; i < times; i++) status = (await sf.sendWebhook(`${t.baseUrl}/v1/helpdesk/salesforce/outbound?secret=sf-outbound`, note)).status;
        return status;
      },
      solve: async (id) => (await sf.sendWebhook(`${t.baseUrl}/v1/helpdesk/salesforce/outbound?secret=sf-outbound`, sf.changeStatus(id, 'Closed'))).status,
      status: (id) => String(sf.cases.find((x) => x.Id === id)!.Status),
      priority: (id) => String(sf.cases.find((x) => x.Id === id)!.Priority),
      rateLimit: (n) => sf.failNext(n, { status: 429, retryAfter: 1 }, (r) => r.method !== 'GET'),
    },
  ];

  for (const d of drivers) {
    it(`${d.name}: ticket with the transcript, agent reply live in the widget, solve, reopen; 429s wait, once`, async () => {
      // A workspace of its own for each help desk.
      const created = await http<{ id: string; apiKey: string }>(t.baseUrl, 'POST', '/v1/workspaces', { token: t.adminKey, body: { id: `hd-${d.name}-${Date.now().toString(36)}`, name: d.name } });
      assert.equal(created.status, 201);
      const key = created.body.apiKey;
      const connected = await http(t.baseUrl, 'PUT', '/v1/workspace/helpdesk', { token: key, body: d.connect() });
      assert.equal(connected.status, 200, JSON.stringify(connected.body));
      // The vendor answers 429 with Retry-After to the first calls: the ticket still comes, once, after the wait.
      d.rateLimit(2);

      const s = await newSession(t.baseUrl, created.body.id);
      await ask(t.baseUrl, s.token, 'My tent pole snapped on the first trip', 'v1');
      const r = await ask(t.baseUrl, s.token, 'Can I speak to a real person please?', 'v2');
      assert.ok(['handoff_pending', 'agent'].includes(r.mode));
      const externalId = `threadline:${r.conversationId}:1`;
      const ticket = await eventually(`the ${d.name} ticket`, () => d.ticket(externalId), 30_000);
      assert.match(ticket.text, /tent pole snapped/, 'the transcript is on the ticket');
      assert.equal(d.tickets(externalId), 1, 'exactly one ticket');
      const handle = t.app.services.temporal.workflow.getHandle(r.conversationId);
      await eventually('agent mode', async () => (await handle.query(stateQuery)).mode === 'agent');

      // The widget listens on its stream while the agent answers from the help desk.
      const controller = new AbortController();
      const stream = await fetch(`${t.baseUrl}/v1/widget/stream?token=${encodeURIComponent(s.token)}`, { signal: controller.signal });
      const reader = stream.body!.getReader();
      assert.equal(await d.reply(ticket.id, 'Internal: check the warranty', false), 200);
      assert.equal(await d.reply(ticket.id, 'Hi, this is Sam. A new pole is on its way.', true, 2), 200);
      let buffer = '';
      const deadline = Date.now() + 15_000;
      while (!/new pole is on its way/.test(buffer) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += new TextDecoder().decode(value);
      }
      controller.abort();
      assert.match(buffer, /"author":"agent"[^\n]*new pole is on its way/);
      // A redelivered webhook is one message; the internal note never reaches the customer.
      assert.equal(await d.solve(ticket.id), 200);
      await eventually('resolved', async () => (await handle.query(stateQuery)).mode === 'resolved');
      const h = await history(t.baseUrl, s.token);
      assert.equal(h.filter((m) => /new pole is on its way/.test(m.text)).length, 1);
      assert.ok(!h.some((m) => /Internal: check the warranty/.test(m.text)));
      assert.ok(h.some((m) => /marked your request as solved/.test(m.text)));

      const again = await ask(t.baseUrl, s.token, 'It broke again', 'v3');
      assert.equal(again.mode, 'agent', 'a new message reopens');
      await eventually('the message on the ticket', () => /It broke again/.test(d.ticket(externalId)?.text ?? ''));
      assert.equal(d.tickets(externalId), 1);
    });
  }

  it('refuses unsigned and wrongly signed help-desk webhooks', async () => {
    const body = JSON.stringify({ ticket_id: '1', comment_id: '1', comment_body: 'forged', author_role: 'agent', public: 'true' });
    const unsigned = await fetch(hook('zendesk/webhook', zd.subdomain), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.ok([401, 403].includes(unsigned.status));
    const wrong = await zd.sendWebhook(hook('zendesk/webhook', zd.subdomain), { ticket_id: '1', comment_body: 'forged' }, { secret: 'not-the-secret' });
    assert.ok([401, 403].includes(wrong.status));
    const sfWrong = await sf.sendWebhook(`${t.baseUrl}/v1/helpdesk/salesforce/outbound?secret=wrong`, sf.changeStatus(sf.cases[0]!.Id, 'Closed'));
    assert.ok([401, 403].includes(sfWrong.status));
  });
});
