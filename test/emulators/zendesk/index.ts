// A Zendesk Support emulator: the /api/v2 endpoints the Zendesk help desk calls (users/create_or_update, tickets
// list/create/show/update), with Zendesk's auth (email/token basic auth or OAuth bearer), its errors, and signed
// webhooks like a Zendesk trigger's. Point node-zendesk's endpointUri at `${url}/api/v2`.
import { timingSafeEqual } from 'node:crypto';
import { FaultQueue, isDelay, sleep, type HttpFault } from '../faults.ts';
import { bearer, bodyFields, startHttpServer, type EmulatorRequest, type EmulatorResponse, type HttpEmulatorBase } from '../http.ts';
import { zendeskWebhookSignature } from './signature.ts';
import { unauthenticated, zendeskTime, type ZendeskComment, type ZendeskTicket, type ZendeskUser } from './resources.ts';
import { ZendeskStore, type StoreResult } from './store.ts';

export type { ZendeskComment, ZendeskTicket, ZendeskUser } from './resources.ts';

export interface ZendeskEmulatorOptions {
  subdomain?: string;
  email?: string;
  apiToken?: string;
  oauthToken?: string;
  webhookSecret?: string;
}

/** The JSON a Zendesk trigger's webhook action posts (API.md, "Helpdesk webhooks"): placeholders render as strings. */
export type ZendeskWebhookBody = Record<string, string>;

export interface ZendeskEmulator extends HttpEmulatorBase {
  subdomain: string;
  email: string;
  apiToken: string;
  oauthToken: string;
  webhookSecret: string;
  users: ZendeskUser[];
  tickets: ZendeskTicket[];
  comments: ZendeskComment[];
  /** Fails the next n requests (those `match` accepts, if given) with the fault. */
  failNext(n: number, fault: HttpFault, match?: (req: { method: string; path: string }) => boolean): void;
  /** An agent comments in the Zendesk UI (public reply or internal note): the comment is stored, the trigger's body returned. */
  agentComment(ticketId: number | string, opts: { body: string; public: boolean; role?: 'agent' | 'admin' | 'end-user' }): ZendeskWebhookBody;
  /** An agent changes the status in the UI: the ticket changes, the trigger's body is returned. */
  changeStatus(ticketId: number | string, status: string): ZendeskWebhookBody;
  /** POSTs `body` to `url` signed as Zendesk signs webhooks (timestamp defaults to now). */
  sendWebhook(url: string, body: ZendeskWebhookBody, opts?: { timestamp?: string; secret?: string }): Promise<{ status: number; body: string }>;
  reset(): void;
}

const ROUTES: { method: string; pattern: RegExp; name: 'upsertUser' | 'listTickets' | 'createTicket' | 'showTicket' | 'updateTicket' }[] = [
  { method: 'POST', pattern: /^\/api\/v2\/users\/create_or_update(?:\.json)?$/, name: 'upsertUser' },
  { method: 'GET', pattern: /^\/api\/v2\/tickets(?:\.json)?$/, name: 'listTickets' },
  { method: 'POST', pattern: /^\/api\/v2\/tickets(?:\.json)?$/, name: 'createTicket' },
  { method: 'GET', pattern: /^\/api\/v2\/tickets\/(\d+)(?:\.json)?$/, name: 'showTicket' },
  { method: 'PUT', pattern: /^\/api\/v2\/tickets\/(\d+)(?:\.json)?$/, name: 'updateTicket' },
];

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function faultResponse(fault: Exclude<HttpFault, { delayMs: number }>): EmulatorResponse {
  const headers: Record<string, string> = 'retryAfter' in fault && fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
  const fallback =
    fault.status === 429
      ? { error: 'APIRateLimitExceeded', description: 'Number of allowed API requests per minute exceeded' }
      : { error: fault.status === 503 ? 'ServiceUnavailable' : 'InternalServerError', description: 'Something went wrong on our end' };
  return { status: fault.status, headers, json: fault.body ?? fallback };
}

export async function startZendeskEmulator(opts: ZendeskEmulatorOptions = {}): Promise<ZendeskEmulator> {
  const subdomain = opts.subdomain ?? 'acme';
  const email = opts.email ?? 'integration@acme.example';
  const apiToken = opts.apiToken ?? 'zendesk-api-token';
  const oauthToken = opts.oauthToken ?? 'zendesk-oauth-token';
  const webhookSecret = opts.webhookSecret ?? 'zendesk-webhook-secret';
  const now = zendeskTime();
  const apiUser: ZendeskUser = { id: 1, external_id: null, name: 'Threadline Integration', email, phone: null, role: 'admin', created_at: now, updated_at: now };
  const agent: ZendeskUser = { id: 2, external_id: null, name: 'Alex Agent', email: 'alex@acme.example', phone: null, role: 'agent', created_at: now, updated_at: now };
  let origin = '';
  const store = new ZendeskStore(() => origin, apiUser, agent);
  const faults = new FaultQueue<HttpFault, EmulatorRequest>();

  // Basic "{email}/token:{token}" or an OAuth bearer; anything else is Zendesk's 401.
  function authorized(req: EmulatorRequest): boolean {
    const token = bearer(req);
    if (token) return equal(token, oauthToken);
    const basic = /^Basic\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    return basic !== undefined && equal(Buffer.from(basic, 'base64').toString('utf8'), `${email}/token:${apiToken}`);
  }

  function route(req: EmulatorRequest, name: (typeof ROUTES)[number]['name'], id: number): StoreResult {
    const body = bodyFields(req);
    switch (name) {
      case 'upsertUser': return store.createOrUpdateUser(body);
      case 'listTickets': return store.listTickets(req.query.get('external_id'));
      case 'createTicket': return store.createTicket(body, apiUser.id);
      case 'showTicket': return store.showTicket(id);
      case 'updateTicket': return store.updateTicket(id, body, apiUser.id);
    }
  }

  const base = await startHttpServer(async (req) => {
    const match = ROUTES.map((r) => ({ r, m: r.method === req.method ? r.pattern.exec(req.path) : null })).find((x) => x.m);
    if (!match?.m) return { status: 404, json: { error: 'InvalidEndpoint', description: 'Not found' } };
    const fault = faults.take(req);
    if (fault && isDelay(fault)) await sleep(fault.delayMs);
    else if (fault) return faultResponse(fault);
    if (!authorized(req)) return { status: 401, json: unauthenticated };
    return route(req, match.r.name, Number(match.m[1] ?? 0));
  });
  origin = base.url;

  function ticketOf(id: number | string): ZendeskTicket {
    const ticket = store.tickets.find((t) => t.id === Number(id));
    if (!ticket) throw new Error(`no ticket ${id} in the Zendesk emulator`);
    return ticket;
  }

  return {
    ...base,
    subdomain,
    email,
    apiToken,
    oauthToken,
    webhookSecret,
    users: store.users,
    tickets: store.tickets,
    comments: store.comments,
    failNext: (n, fault, match) => faults.failNext(n, fault, match),
    agentComment(ticketId, { body, public: isPublic, role = 'agent' }) {
      const ticket = ticketOf(ticketId);
      const author = role === 'end-user' ? store.users.find((u) => u.id === ticket.requester_id) ?? agent : agent;
      const comment = store.addComment(ticket, author.id, body, isPublic);
      return {
        ticket_id: String(ticket.id),
        external_id: ticket.external_id ?? '',
        comment_id: String(comment.id),
        comment_body: body,
        author_role: role,
        author_name: author.name,
        public: String(isPublic),
        status: ticket.status,
      };
    },
    changeStatus(ticketId, status) {
      const ticket = ticketOf(ticketId);
      ticket.status = status;
      ticket.updated_at = zendeskTime();
      return { ticket_id: String(ticket.id), external_id: ticket.external_id ?? '', status };
    },
    async sendWebhook(url, body, o = {}) {
      const raw = JSON.stringify(body);
      const timestamp = o.timestamp ?? zendeskTime();
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Zendesk Webhook',
          'x-zendesk-webhook-signature-timestamp': timestamp,
          'x-zendesk-webhook-signature': zendeskWebhookSignature(o.secret ?? webhookSecret, timestamp, raw),
        },
        body: raw,
      });
      return { status: res.status, body: await res.text() };
    },
    reset() {
      store.users.splice(2);
      store.tickets.length = 0;
      store.comments.length = 0;
      base.requests.length = 0;
      faults.reset();
    },
  };
}
