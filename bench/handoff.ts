// `npm run bench:handoff`: handoff-to-ticket latency per help desk (p50/p95) against the emulators, and help-desk
// sync throughput against a configured rate limit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkspace } from '../api/workspaces.ts';
import { loadEnv } from '../config/env.ts';
import { createLogger } from '../config/logger.ts';
import { bootThreadline } from '../scripts/runtime.ts';
import { startStack } from '../scripts/stack/index.ts';
import { startHubSpotEmulator } from '../test/emulators/hubspot/index.ts';
import { startSalesforceEmulator } from '../test/emulators/salesforce/index.ts';
import { startZendeskEmulator } from '../test/emulators/zendesk/index.ts';
import { ms, summarize } from './stats.ts';

const HANDOFFS = Number(process.env.BENCH_HANDOFFS ?? 20);
const RATE = Number(process.env.BENCH_ZENDESK_RATE ?? 5);
const COMMENTS = Number(process.env.BENCH_COMMENTS ?? 60);

const dataDir = mkdtempSync(join(tmpdir(), 'threadline-bench-hd-'));
const stack = await startStack({ dataDir, ports: 'free', say: (s) => console.error(s) });
const [zd, hs, sf] = await Promise.all([startZendeskEmulator(), startHubSpotEmulator(), startSalesforceEmulator()]);
const env = loadEnv({ ...process.env, PORT: '0', SMTP_LISTEN_PORT: '0', LOG_LEVEL: 'error', TEMPORAL_ADDRESS: stack.temporalAddress, MONGODB_URI: stack.mongoUri, CHROMA_URL: stack.chromaUrl, OPENAI_API_KEY: '', HELPDESK_RATES: `zendesk=${RATE},hubspot=50,salesforce=50,local=50` });
const app = await bootThreadline({ env, log: createLogger('error'), taskQueue: 'bench' });
const base = app.baseUrl;
const json = async (method: string, path: string, body: unknown, token?: string) => {
  const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
};

try {
  const desks: Record<string, unknown> = {
    local: undefined,
    zendesk: { helpdesk: 'zendesk', routingKey: zd.subdomain, baseUrl: zd.url, credentials: { email: zd.email, apiToken: zd.apiToken, webhookSecret: zd.webhookSecret } },
    hubspot: { helpdesk: 'hubspot', routingKey: hs.portalId, baseUrl: hs.url, credentials: { accessToken: hs.accessToken, clientSecret: hs.clientSecret } },
    salesforce: { helpdesk: 'salesforce', routingKey: sf.orgId, baseUrl: sf.url, credentials: { clientId: sf.clientId, clientSecret: sf.clientSecret, outboundSecret: 's' } },
  };
  console.log(`bench:handoff — ${HANDOFFS} handoffs per help desk (widget message → ticket linked), emulators on loopback`);
  let zendeskWorkspace = { id: '', key: '' };
  for (const [name, config] of Object.entries(desks)) {
    const ws = await createWorkspace(app.services.models, `bench-${name}`, name);
    if (config) await json('PUT', '/v1/workspace/helpdesk', config, ws.apiKey);
    if (name === 'zendesk') zendeskWorkspace = { id: ws.id, key: ws.apiKey };
    const samples: number[] = [];
    for (let i = 0; i < HANDOFFS; i++) {
      const s = (await json('POST', '/v1/widget/sessions', { workspace: ws.id })) as { token: string; customerId: string };
      const t0 = performance.now();
      const r = (await json('POST', '/v1/widget/messages', { text: 'I want to talk to a human', clientMessageId: 'h1' }, s.token)) as { conversationId: string };
      for (;;) {
        if (await app.services.models.TicketLink.exists({ conversationId: r.conversationId })) break;
        await new Promise((res) => setTimeout(res, 5));
      }
      samples.push(performance.now() - t0);
    }
    const st = summarize(samples);
    console.log(`  ${name.padEnd(10)} handoff → ticket: p50 ${ms(st.p50)}  p95 ${ms(st.p95)}`);
  }

  // Throughput: customers in agent mode write; each message becomes a Zendesk comment through the rate-limited queue.
  const sessions: string[] = [];
  for (let i = 0; i < 10; i++) {
    const s = (await json('POST', '/v1/widget/sessions', { workspace: zendeskWorkspace.id })) as { token: string };
    await json('POST', '/v1/widget/messages', { text: 'I want to talk to a human', clientMessageId: 'h' }, s.token);
    sessions.push(s.token);
  }
  await new Promise((r) => setTimeout(r, 3000));
  const before = zd.comments.length;
  const throttled = zd.requests.filter((r) => r.status === 429).length;
  const t0 = performance.now();
  await Promise.all(sessions.map(async (token, k) => {
    for (let i = 0; i < COMMENTS / sessions.length; i++) await json('POST', '/v1/widget/messages', { text: `update ${i}`, clientMessageId: `u${k}-${i}` }, token);
  }));
  while (zd.comments.length - before < COMMENTS) await new Promise((r) => setTimeout(r, 50));
  const seconds = (performance.now() - t0) / 1000;
  console.log(`  zendesk sync: ${COMMENTS} comments in ${seconds.toFixed(1)} s = ${(COMMENTS / seconds).toFixed(2)}/s at a configured ${RATE}/s; 429s from the vendor: ${zd.requests.filter((r) => r.status === 429).length - throttled}`);
} finally {
  await app.stop();
  await Promise.all([zd.close(), hs.close(), sf.close()]);
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
