// A Meta Graph API emulator for outbound messages: the WhatsApp Cloud API (POST /{version}/{phone-number-id}/messages)
// and the Messenger/Instagram Send API (POST /{version}/me/messages or /{page-id}/messages with access_token).
import { randomBytes } from 'node:crypto';
import { FaultQueue, isDelay, sleep, type HttpFault } from '../faults.ts';
import { bearer, bodyFields, startHttpServer, type EmulatorRequest, type EmulatorResponse } from '../http.ts';
import { graphError, invalidToken, serverError, throttled, type GraphThrottleCode } from './errors.ts';

/** Graph answers a 429-style fault with its own throttling code (HTTP 400); `code` picks which one. */
export type GraphFault = HttpFault & { code?: GraphThrottleCode };

export interface GraphRequest {
  api: 'whatsapp' | 'send';
  version: string;
  /** The phone-number id (WhatsApp) or "me"/the page id (Send API). */
  nodeId: string;
  accessToken: string | undefined;
  body: Record<string, unknown>;
  /** The id the emulator answered with. */
  messageId: string;
}

export interface GraphEmulatorOptions {
  accessToken?: string;
}

export interface GraphEmulator {
  url: string;
  port: number;
  accessToken: string;
  received: GraphRequest[];
  requests: { method: string; path: string; status: number }[];
  failNext(n: number, fault: GraphFault): void;
  reset(): void;
  close(): Promise<void>;
}

const messagesPath = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/;

function faultResponse(fault: Exclude<GraphFault, { delayMs: number }>, api: GraphRequest['api']): EmulatorResponse {
  if (fault.status === 429) {
    const code = fault.code ?? (api === 'whatsapp' ? 130429 : 613);
    const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
    return { status: 400, headers, json: fault.body ?? throttled(code) };
  }
  return { status: fault.status, json: fault.body ?? serverError(fault.status) };
}

function whatsappAnswer(body: Record<string, unknown>, messageId: string): EmulatorResponse {
  if (body.messaging_product !== 'whatsapp') return { status: 400, json: graphError('(#100) The parameter messaging_product is required.', 100) };
  const to = typeof body.to === 'string' ? body.to : '';
  if (!to) return { status: 400, json: graphError('(#100) The parameter to is required.', 100) };
  return { status: 200, json: { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to.replace(/\D/g, '') }], messages: [{ id: messageId }] } };
}

function sendApiAnswer(body: Record<string, unknown>, messageId: string): EmulatorResponse {
  const recipient = body.recipient as { id?: unknown } | undefined;
  if (typeof recipient?.id !== 'string') return { status: 400, json: graphError('(#100) The parameter recipient is required', 100) };
  return { status: 200, json: { recipient_id: recipient.id, message_id: messageId } };
}

export async function startGraphEmulator(opts: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
  const accessToken = opts.accessToken ?? `EAAG${randomBytes(24).toString('hex')}`;
  const received: GraphRequest[] = [];
  const faults = new FaultQueue<GraphFault, EmulatorRequest>();

  const base = await startHttpServer(async (req) => {
    const route = messagesPath.exec(req.path);
    if (!route || req.method !== 'POST') return { status: 400, json: graphError('Unsupported request - method type: ' + req.method.toLowerCase(), 100) };
    const [, version = '', nodeId = ''] = route;
    const body = bodyFields(req);
    // One path serves both APIs (a page id and a phone-number id look alike): the body says which.
    const api: GraphRequest['api'] = body.messaging_product === 'whatsapp' ? 'whatsapp' : nodeId === 'me' || 'recipient' in body ? 'send' : 'whatsapp';
    const fault = faults.take(req);
    if (fault && isDelay(fault)) await sleep(fault.delayMs);
    else if (fault) return faultResponse(fault, api);
    const given = bearer(req) ?? req.query.get('access_token') ?? (typeof body.access_token === 'string' ? body.access_token : undefined);
    if (given !== accessToken) return { status: 401, json: invalidToken() };
    const messageId = api === 'whatsapp' ? `wamid.${randomBytes(24).toString('base64url')}` : `m_${randomBytes(24).toString('base64url')}`;
    const answer = api === 'whatsapp' ? whatsappAnswer(body, messageId) : sendApiAnswer(body, messageId);
    if (answer.status === 200) received.push({ api, version, nodeId, accessToken: given, body, messageId });
    return answer;
  });

  return {
    ...base,
    accessToken,
    received,
    failNext: (n, fault) => faults.failNext(n, fault),
    reset() {
      received.length = 0;
      base.requests.length = 0;
      faults.reset();
    },
  };
}
