// A Salesforce emulator: the OAuth 2.0 client credentials token endpoint, the REST endpoints jsforce calls for
// Contacts, Cases and CaseComments (upsert by External ID, create, update, query), bearer sessions that can be
// expired, REST error lists; and Outbound Messages (SOAP) posted to a URL, checking the Ack.
// The login URL and the instance URL are both `url`.
import { randomBytes } from 'node:crypto';
import { FaultQueue, isDelay, sleep, type HttpFault } from '../faults.ts';
import { bearer, bodyFields, startHttpServer, type EmulatorRequest, type EmulatorResponse, type HttpEmulatorBase } from '../http.ts';
import { isAck, outboundEnvelope, recordId, sessionExpired, sfError, type OutboundNotification, type SfRecord, type SObjectType } from './resources.ts';
import { SalesforceStore, type StoreResult } from './store.ts';

export type { OutboundNotification, SfRecord } from './resources.ts';

export interface SalesforceEmulatorOptions {
  clientId?: string;
  clientSecret?: string;
  /** 18-character org id. */
  orgId?: string;
  contactExternalIdField?: string;
  caseExternalIdField?: string;
  caseStatuses?: string[];
  casePriorities?: string[];
}

export interface SalesforceEmulator extends HttpEmulatorBase {
  clientId: string;
  clientSecret: string;
  orgId: string;
  /** The user the connected app runs as (client credentials "Run As"). */
  integrationUserId: string;
  contacts: SfRecord[];
  cases: SfRecord[];
  caseComments: SfRecord[];
  /** Access tokens issued so far, in order. */
  tokensIssued: string[];
  /** Fails the next n requests (those `match` accepts, if given) with the fault. */
  failNext(n: number, fault: HttpFault, match?: (req: { method: string; path: string }) => boolean): void;
  /** Revokes every session, as a timeout or an admin would: the next call gets 401 INVALID_SESSION_ID. With
   * `keepRejecting`, new tokens are refused as well (a connected app whose policy rejects the session). */
  expireSessions(opts?: { keepRejecting?: boolean }): void;
  /** An agent comments on the case in Salesforce: stored, and returned as the outbound message's notification. */
  agentComment(caseId: string, opts: { body: string; isPublished: boolean; byIntegrationUser?: boolean }): OutboundNotification;
  /** An agent changes the Case Status: stored, and returned as the notification. */
  changeStatus(caseId: string, status: string): OutboundNotification;
  /** POSTs an Outbound Message with the notifications to `url`; `acked` says whether the answer was a valid Ack. */
  sendWebhook(url: string, notifications: OutboundNotification | OutboundNotification[], opts?: { headers?: Record<string, string>; orgId?: string }): Promise<{ status: number; body: string; acked: boolean }>;
  reset(): void;
}

const TYPES = '(Contact|Case|CaseComment)';
const DATA = '/services/data/v(\\d+\\.\\d)';
const tokenPath = /^\/services\/oauth2\/token$/;
const queryPath = new RegExp(`^${DATA}/query/?$`);
const typePath = new RegExp(`^${DATA}/sobjects/${TYPES}/?$`);
const recordPath = new RegExp(`^${DATA}/sobjects/${TYPES}/([^/]+)$`);
const upsertPath = new RegExp(`^${DATA}/sobjects/${TYPES}/([^/]+)/([^/]+)$`);

function faultResponse(fault: Exclude<HttpFault, { delayMs: number }>): EmulatorResponse {
  const headers: Record<string, string> = 'retryAfter' in fault && fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
  const fallback =
    fault.status === 429 ? sfError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.') : sfError('SERVER_UNAVAILABLE', 'Server temporarily unavailable, please try again');
  return { status: fault.status, headers, json: fault.body ?? fallback };
}

export async function startSalesforceEmulator(opts: SalesforceEmulatorOptions = {}): Promise<SalesforceEmulator> {
  const clientId = opts.clientId ?? '3MVG9-threadline-client-id';
  const clientSecret = opts.clientSecret ?? 'salesforce-client-secret';
  const orgId = opts.orgId ?? '00DDn00000ThReAAAA';
  const integrationUserId = '005Dn0000000001AAA';
  const agentUserId = '005Dn0000000002AAA';
  const contactExt = opts.contactExternalIdField ?? 'Threadline_Customer_Id__c';
  const caseExt = opts.caseExternalIdField ?? 'Threadline_External_Id__c';
  const tokensIssued: string[] = [];
  let validTokens = new Set<string>();
  let rejectAll = false;
  let origin = '';
  let version = '62.0';
  let notificationSeq = 0;
  const store = new SalesforceStore({
    fields: {
      Contact: { FirstName: { max: 40 }, LastName: { max: 80 }, Email: { max: 80 }, Phone: { max: 40 }, [contactExt]: { max: 255 } },
      Case: {
        Subject: { max: 255 }, Description: { max: 32_000 }, Origin: { max: 40 }, ContactId: { lookup: 'Contact' }, [caseExt]: { max: 255 },
        Status: { picklist: opts.caseStatuses ?? ['New', 'Working', 'Escalated', 'Closed'] },
        Priority: { picklist: opts.casePriorities ?? ['High', 'Medium', 'Low'] },
      },
      CaseComment: { ParentId: { lookup: 'Case' }, CommentBody: { max: 4_000 }, IsPublished: { boolean: true } },
    },
    required: { Contact: ['LastName'], Case: [], CaseComment: ['ParentId', 'CommentBody'] },
    externalIds: { Contact: contactExt, Case: caseExt },
    defaults: { Case: { Status: 'New', Priority: 'Medium' }, CaseComment: { CreatedById: integrationUserId } },
  }, () => origin, () => version);
  const faults = new FaultQueue<HttpFault, EmulatorRequest>();

  function token(req: EmulatorRequest): EmulatorResponse {
    const form = bodyFields(req);
    if (form.grant_type !== 'client_credentials') return { status: 400, json: { error: 'unsupported_grant_type', error_description: 'grant type not supported' } };
    if (form.client_id !== clientId || form.client_secret !== clientSecret) return { status: 400, json: { error: 'invalid_client', error_description: 'invalid client credentials' } };
    const accessToken = `${orgId.slice(0, 15)}!${randomBytes(24).toString('base64url')}`;
    tokensIssued.push(accessToken);
    validTokens.add(accessToken);
    const issuedAt = String(Date.now());
    return {
      status: 200,
      json: { access_token: accessToken, signature: randomBytes(32).toString('base64'), scope: 'api', instance_url: origin, id: `${origin}/id/${orgId}/${integrationUserId}`, token_type: 'Bearer', issued_at: issuedAt },
    };
  }

  function rest(req: EmulatorRequest): StoreResult | undefined {
    const body = bodyFields(req);
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && (m = queryPath.exec(req.path))) return store.query(req.query.get('q') ?? '');
    if (req.method === 'POST' && (m = typePath.exec(req.path))) return store.create(m[2] as SObjectType, body);
    if (req.method === 'PATCH' && (m = recordPath.exec(req.path))) return store.update(m[2] as SObjectType, decodeURIComponent(m[3] ?? ''), body);
    if (req.method === 'PATCH' && (m = upsertPath.exec(req.path))) return store.upsert(m[2] as SObjectType, m[3] ?? '', decodeURIComponent(m[4] ?? ''), body);
    return undefined;
  }

  const base = await startHttpServer(async (req) => {
    const known = [tokenPath, queryPath, typePath, recordPath, upsertPath].some((p) => p.test(req.path));
    if (!known) return { status: 404, json: sfError('NOT_FOUND', 'The requested resource does not exist') };
    const fault = faults.take(req);
    if (fault && isDelay(fault)) await sleep(fault.delayMs);
    else if (fault) return faultResponse(fault);
    if (tokenPath.test(req.path)) return req.method === 'POST' ? token(req) : { status: 405, json: { error: 'invalid_request', error_description: 'must use HTTP POST' } };
    const given = bearer(req);
    if (!given || !validTokens.has(given) || rejectAll) return { status: 401, json: sessionExpired };
    version = /\/v(\d+\.\d)\//.exec(req.path)?.[1] ?? version;
    return rest(req) ?? { status: 405, json: sfError('METHOD_NOT_ALLOWED', `HTTP Method '${req.method}' not allowed.`) };
  });
  origin = base.url;

  function caseOf(id: string): SfRecord {
    const found = store.find('Case', id);
    if (!found) throw new Error(`no Case ${id} in the Salesforce emulator`);
    return found;
  }

  return {
    ...base,
    clientId,
    clientSecret,
    orgId,
    integrationUserId,
    contacts: store.records.Contact,
    cases: store.records.Case,
    caseComments: store.records.CaseComment,
    tokensIssued,
    failNext: (n, fault, match) => faults.failNext(n, fault, match),
    expireSessions(o = {}) {
      validTokens = new Set();
      rejectAll = o.keepRejecting ?? false;
    },
    agentComment(caseId, { body, isPublished, byIntegrationUser = false }) {
      const parent = caseOf(caseId);
      const createdBy = byIntegrationUser ? integrationUserId : agentUserId;
      const r = store.create('CaseComment', { ParentId: parent.Id, CommentBody: body, IsPublished: isPublished });
      const id = (r.json as { id: string }).id;
      // CreatedById is an audit field the API cannot write: set here as Salesforce would for the agent's session.
      const comment = store.find('CaseComment', id);
      if (comment) comment.CreatedById = createdBy;
      return { type: 'CaseComment', fields: { Id: id, ParentId: parent.Id, CommentBody: body, IsPublished: isPublished, CreatedById: createdBy } };
    },
    changeStatus(caseId, status) {
      const c = caseOf(caseId);
      c.Status = status;
      return { type: 'Case', fields: { Id: c.Id, Status: status, ...(typeof c[caseExt] === 'string' ? { [caseExt]: c[caseExt] } : {}) } };
    },
    async sendWebhook(url, notifications, o = {}) {
      const list = Array.isArray(notifications) ? notifications : [notifications];
      const body = outboundEnvelope(o.orgId ?? orgId, origin, list, () => recordId('04l', ++notificationSeq));
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""', ...o.headers },
        body,
      });
      const text = await res.text();
      return { status: res.status, body: text, acked: isAck(res.status, text) };
    },
    reset() {
      for (const list of Object.values(store.records)) list.length = 0;
      tokensIssued.length = 0;
      validTokens = new Set();
      rejectAll = false;
      base.requests.length = 0;
      faults.reset();
    },
  };
}
