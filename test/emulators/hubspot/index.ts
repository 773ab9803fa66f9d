// A HubSpot CRM emulator: the v3 object endpoints (search, create, read, update) for contacts, tickets and notes,
// the v4 association read, bearer-token auth and HubSpot's error bodies; plus webhooks signed the v3 way.
// Give the official client `basePath: url`.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { FaultQueue, isDelay, sleep, type HttpFault } from '../faults.ts';
import { bearer, bodyFields, startHttpServer, type EmulatorRequest, type EmulatorResponse, type HttpEmulatorBase } from '../http.ts';
import { hubspotError, unauthenticated, type HubSpotAssociation, type HubSpotObject, type ObjectType } from './resources.ts';
import { hubspotV3Signature } from './signature.ts';
import { HubSpotStore, type StoreResult } from './store.ts';

export type { HubSpotAssociation, HubSpotObject } from './resources.ts';

export interface HubSpotEmulatorOptions {
  accessToken?: string;
  clientSecret?: string;
  portalId?: string;
  /** Ticket pipelines and their stage ids; default HubSpot's default pipeline "0" with stages 1-4. */
  pipelines?: Record<string, string[]>;
  /** Custom properties that exist in this portal, besides HubSpot's own. */
  customProperties?: Partial<Record<ObjectType, string[]>>;
  uniqueProperties?: string[];
  /** How long a new object stays invisible to search, as HubSpot's index lags (default 0). */
  searchIndexDelayMs?: number;
}

export type HubSpotEvent = Record<string, unknown>;

export interface HubSpotEmulator extends HttpEmulatorBase {
  accessToken: string;
  clientSecret: string;
  portalId: string;
  contacts: HubSpotObject[];
  tickets: HubSpotObject[];
  notes: HubSpotObject[];
  associations: HubSpotAssociation[];
  /** Fails the next n requests (those `match` accepts, if given) with the fault. */
  failNext(n: number, fault: HttpFault, match?: (req: { method: string; path: string }) => boolean): void;
  /** An agent moves the ticket to a stage: the ticket changes, the `ticket.propertyChange` event is returned. */
  stageChange(ticketId: string, stageId: string): HubSpotEvent;
  /** An agent's reply, in Threadline's convention for a workflow webhook action (HubSpot has no such event). */
  agentReply(ticketId: string, opts: { body: string; public: boolean; agentName?: string }): HubSpotEvent;
  /** POSTs the events (an array, as HubSpot batches them, or one object) signed v3 with the client secret. */
  sendWebhook(url: string, events: HubSpotEvent | HubSpotEvent[], opts?: { timestamp?: number; secret?: string }): Promise<{ status: number; body: string }>;
  reset(): void;
}

const OBJECT = '(contacts|tickets|notes)';
const searchPath = new RegExp(`^/crm/v3/objects/${OBJECT}/search$`);
const listPath = new RegExp(`^/crm/v3/objects/${OBJECT}$`);
const onePath = new RegExp(`^/crm/v3/objects/${OBJECT}/([^/]+)$`);
const assocPath = new RegExp(`^/crm/v4/objects/${OBJECT}/([^/]+)/associations/${OBJECT}$`);

function faultResponse(fault: Exclude<HttpFault, { delayMs: number }>): EmulatorResponse {
  const headers: Record<string, string> = 'retryAfter' in fault && fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
  const fallback =
    fault.status === 429
      ? { ...hubspotError('RATE_LIMITS', 'You have reached your ten_secondly_rolling limit.'), errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' }
      : hubspotError('INTERNAL_ERROR', 'internal error');
  return { status: fault.status, headers, json: fault.body ?? fallback };
}

export async function startHubSpotEmulator(opts: HubSpotEmulatorOptions = {}): Promise<HubSpotEmulator> {
  const accessToken = opts.accessToken ?? 'pat-na1-hubspot-token';
  const clientSecret = opts.clientSecret ?? 'hubspot-client-secret';
  const portalId = opts.portalId ?? '62515';
  const store = new HubSpotStore({
    pipelines: opts.pipelines ?? { '0': ['1', '2', '3', '4'] },
    properties: {
      contacts: ['email', 'firstname', 'lastname', 'phone', ...(opts.customProperties?.contacts ?? ['threadline_customer_id'])],
      tickets: ['subject', 'content', 'hs_pipeline', 'hs_pipeline_stage', 'hs_ticket_priority', ...(opts.customProperties?.tickets ?? ['threadline_external_id'])],
      notes: ['hs_note_body', 'hs_timestamp', ...(opts.customProperties?.notes ?? [])],
    },
    uniqueProperties: opts.uniqueProperties ?? [],
    searchIndexDelayMs: opts.searchIndexDelayMs ?? 0,
  });
  const faults = new FaultQueue<HttpFault, EmulatorRequest>();

  function authorized(req: EmulatorRequest): boolean {
    const given = Buffer.from(bearer(req) ?? '');
    const expected = Buffer.from(accessToken);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  function route(req: EmulatorRequest): StoreResult | undefined {
    const body = bodyFields(req);
    const props = (req.query.get('properties') ?? '').split(',').filter(Boolean);
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && (m = searchPath.exec(req.path))) return store.search(m[1] as ObjectType, body);
    if (req.method === 'POST' && (m = listPath.exec(req.path))) return store.create(m[1] as ObjectType, body);
    if (req.method === 'GET' && (m = onePath.exec(req.path))) return store.read(m[1] as ObjectType, decodeURIComponent(m[2] ?? ''), req.query.get('idProperty'), props);
    if (req.method === 'PATCH' && (m = onePath.exec(req.path))) return store.update(m[1] as ObjectType, decodeURIComponent(m[2] ?? ''), body);
    if (req.method === 'GET' && (m = assocPath.exec(req.path))) return store.associated(m[1] as ObjectType, m[2] ?? '', m[3] as ObjectType);
    return undefined;
  }

  const known = (req: EmulatorRequest) => [searchPath, listPath, onePath, assocPath].some((p) => p.test(req.path));

  const base = await startHttpServer(async (req) => {
    if (!known(req)) return { status: 404, json: hubspotError('NOT_FOUND', `No route for ${req.method} ${req.path}`) };
    const fault = faults.take(req);
    if (fault && isDelay(fault)) await sleep(fault.delayMs);
    else if (fault) return faultResponse(fault);
    if (!authorized(req)) return { status: 401, json: unauthenticated };
    return route(req) ?? { status: 405, json: hubspotError('NOT_FOUND', `Method ${req.method} not allowed`) };
  });

  const event = (objectId: string, fields: HubSpotEvent): HubSpotEvent => ({
    eventId: randomInt(1, 2 ** 31),
    subscriptionId: 1234,
    portalId: Number(portalId),
    appId: 54321,
    occurredAt: Date.now(),
    attemptNumber: 0,
    objectId: Number(objectId),
    ...fields,
  });

  return {
    ...base,
    accessToken,
    clientSecret,
    portalId,
    contacts: store.objects.contacts,
    tickets: store.objects.tickets,
    notes: store.objects.notes,
    associations: store.associations,
    failNext: (n, fault, match) => faults.failNext(n, fault, match),
    stageChange(ticketId, stageId) {
      const ticket = store.find('tickets', ticketId);
      if (!ticket) throw new Error(`no ticket ${ticketId} in the HubSpot emulator`);
      ticket.properties.hs_pipeline_stage = stageId;
      return event(ticketId, { subscriptionType: 'ticket.propertyChange', propertyName: 'hs_pipeline_stage', propertyValue: stageId, changeSource: 'CRM', sourceId: 'userId:9001' });
    },
    agentReply(ticketId, { body, public: isPublic, agentName }) {
      return event(ticketId, { subscriptionType: 'threadline.agent_reply', messageId: String(randomInt(1, 2 ** 31)), body, public: isPublic, ...(agentName ? { agentName } : {}) });
    },
    async sendWebhook(url, events, o = {}) {
      const raw = JSON.stringify(events);
      const timestamp = String(o.timestamp ?? Date.now());
      const secret = o.secret ?? clientSecret;
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hubspot-request-timestamp': timestamp,
          'x-hubspot-signature-v3': hubspotV3Signature(secret, 'POST', url, raw, timestamp),
          // HubSpot still sends the older signature alongside, for apps that check it.
          'x-hubspot-signature-version': 'v1',
          'x-hubspot-signature': createHash('sha256').update(secret + raw).digest('hex'),
        },
        body: raw,
      });
      return { status: res.status, body: await res.text() };
    },
    reset() {
      for (const list of Object.values(store.objects)) list.length = 0;
      store.associations.length = 0;
      base.requests.length = 0;
      faults.reset();
    },
  };
}
