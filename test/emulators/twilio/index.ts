// A Twilio Programmable Messaging emulator: enough of the 2010-04-01 REST API for the twilio SDK
// (point `client.api.baseUrl` at `url`), plus signed status callbacks like Twilio's.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { FaultQueue, isDelay, sleep, type HttpFault } from '../faults.ts';
import { bodyFields, startHttpServer, type EmulatorRequest, type EmulatorResponse } from '../http.ts';
import { messageResource, twilioError, type TwilioMessage } from './resources.ts';
import { twilioSignature } from './signature.ts';

export type { TwilioMessage } from './resources.ts';

export interface TwilioEmulatorOptions {
  accountSid?: string;
  authToken?: string;
}

export interface TwilioEmulator {
  url: string;
  port: number;
  accountSid: string;
  authToken: string;
  /** Messages accepted by the Messages API, in order. */
  received: TwilioMessage[];
  requests: { method: string; path: string; status: number }[];
  failNext(n: number, fault: HttpFault): void;
  /** Sets the message's status and POSTs a signed status callback to its StatusCallback URL, if it gave one. */
  deliver(sid: string, status: 'sent' | 'delivered' | 'undelivered' | 'failed' | 'read', extra?: Record<string, string>): Promise<{ status: number; body: string } | undefined>;
  reset(): void;
  close(): Promise<void>;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

const messagesPath = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const messagePath = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\.json$/;

function basicAuthOk(req: EmulatorRequest, accountSid: string, authToken: string): boolean {
  const match = /^Basic\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
  if (!match?.[1]) return false;
  const given = Buffer.from(Buffer.from(match[1], 'base64').toString('utf8'));
  const expected = Buffer.from(`${accountSid}:${authToken}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function faultResponse(fault: Exclude<HttpFault, { delayMs: number }>): EmulatorResponse {
  const headers: Record<string, string> = 'retryAfter' in fault && fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
  const fallback =
    fault.status === 429 ? twilioError(429, 20429, 'Too Many Requests') : fault.status === 503 ? twilioError(503, 20503, 'Service Unavailable') : twilioError(500, 20500, 'Internal Server Error');
  return { status: fault.status, headers, json: fault.body ?? fallback };
}

export async function startTwilioEmulator(opts: TwilioEmulatorOptions = {}): Promise<TwilioEmulator> {
  const accountSid = opts.accountSid ?? `AC${hex(16)}`;
  const authToken = opts.authToken ?? hex(16);
  const received: TwilioMessage[] = [];
  const faults = new FaultQueue<HttpFault, EmulatorRequest>();

  function createMessage(req: EmulatorRequest, pathSid: string): EmulatorResponse {
    const form = bodyFields(req);
    const to = str(form.To);
    const from = str(form.From) ?? null;
    const messagingServiceSid = str(form.MessagingServiceSid) ?? null;
    const body = str(form.Body) ?? '';
    const mediaUrls = strs(form.MediaUrl);
    if (!to) return { status: 400, json: twilioError(400, 21604, "A 'To' phone number is required.") };
    if (!from && !messagingServiceSid) return { status: 400, json: twilioError(400, 21603, "A 'From' phone number is required.") };
    if (!body && !mediaUrls.length) return { status: 400, json: twilioError(400, 21602, 'Message body is required.') };
    if (body.length > 1600) return { status: 400, json: twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.') };
    const now = new Date();
    const statusCallback = str(form.StatusCallback);
    const message: TwilioMessage = {
      sid: `SM${hex(16)}`,
      accountSid: pathSid,
      to,
      from,
      messagingServiceSid,
      body,
      mediaUrls,
      ...(statusCallback ? { statusCallback } : {}),
      status: 'queued',
      errorCode: null,
      dateCreated: now,
      dateUpdated: now,
    };
    received.push(message);
    return { status: 201, json: messageResource(message) };
  }

  const base = await startHttpServer(async (req) => {
    const list = messagesPath.exec(req.path);
    const one = messagePath.exec(req.path);
    const routed = (list && req.method === 'POST') || (one && req.method === 'GET');
    if (!routed) return { status: 404, json: twilioError(404, 20404, 'The requested resource was not found') };
    const fault = faults.take(req);
    if (fault && isDelay(fault)) await sleep(fault.delayMs);
    else if (fault) return faultResponse(fault);
    const pathSid = (list ?? one)?.[1] ?? '';
    if (pathSid !== accountSid || !basicAuthOk(req, accountSid, authToken)) return { status: 401, json: twilioError(401, 20003, 'Authenticate') };
    if (list) return createMessage(req, pathSid);
    const found = received.find((m) => m.sid === one?.[2]);
    return found ? { status: 200, json: messageResource(found) } : { status: 404, json: twilioError(404, 20404, 'The requested resource was not found') };
  });

  return {
    ...base,
    accountSid,
    authToken,
    received,
    failNext: (n, fault) => faults.failNext(n, fault),
    async deliver(sid, status, extra = {}) {
      const message = received.find((m) => m.sid === sid);
      if (!message) throw new Error(`no message ${sid} in the Twilio emulator`);
      message.status = status;
      message.dateUpdated = new Date();
      if (!message.statusCallback) return undefined;
      const params: Record<string, string> = {
        AccountSid: message.accountSid,
        ApiVersion: '2010-04-01',
        From: message.from ?? '',
        MessageSid: message.sid,
        MessageStatus: status,
        SmsSid: message.sid,
        SmsStatus: status,
        To: message.to,
        ...(message.messagingServiceSid ? { MessagingServiceSid: message.messagingServiceSid } : {}),
        ...(status === 'failed' || status === 'undelivered' ? { ErrorCode: '30003' } : {}),
        ...extra,
      };
      const res = await fetch(message.statusCallback, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(authToken, message.statusCallback, params) },
        body: new URLSearchParams(params).toString(),
      });
      return { status: res.status, body: await res.text() };
    },
    reset() {
      received.length = 0;
      base.requests.length = 0;
      faults.reset();
    },
  };
}
