// A Slack Web API emulator for chat.postMessage: form or JSON bodies, bot token in the Authorization header
// (or the legacy `token` field). Point @slack/web-api at it with `slackApiUrl: `${url}/api/``.
import { FaultQueue, isDelay, sleep, type HttpFault } from '../faults.ts';
import { bearer, bodyFields, startHttpServer, type EmulatorRequest, type EmulatorResponse } from '../http.ts';

export interface SlackPostedMessage {
  channel: string;
  text: string;
  threadTs?: string;
  ts: string;
  /** Everything the client sent, as Slack read it (blocks arrive as a JSON string in form posts). */
  body: Record<string, unknown>;
}

export interface SlackEmulatorOptions {
  token?: string;
}

export interface SlackEmulator {
  url: string;
  port: number;
  token: string;
  received: SlackPostedMessage[];
  requests: { method: string; path: string; status: number }[];
  failNext(n: number, fault: HttpFault): void;
  reset(): void;
  close(): Promise<void>;
}

const botUser = 'U0THREADLN';
const botId = 'B0THREADLN';

function faultResponse(fault: Exclude<HttpFault, { delayMs: number }>): EmulatorResponse {
  if (fault.status === 429) {
    // Slack always names the wait on a 429; one second is its usual minimum.
    return { status: 429, headers: { 'retry-after': String(fault.retryAfter ?? 1) }, json: fault.body ?? { ok: false, error: 'ratelimited' } };
  }
  return { status: fault.status, json: fault.body ?? { ok: false, error: fault.status === 503 ? 'service_unavailable' : 'internal_error' } };
}

export async function startSlackEmulator(opts: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const token = opts.token ?? 'xoxb-0000000000-0000000000000-emulator';
  const received: SlackPostedMessage[] = [];
  const faults = new FaultQueue<HttpFault, EmulatorRequest>();
  let sequence = 0;
  // Slack message ts values are unique per channel and increase; seconds plus a counter keeps them so.
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++sequence % 1_000_000).padStart(6, '0')}`;

  const base = await startHttpServer(async (req) => {
    if (req.path !== '/api/chat.postMessage') return { status: 404, json: { ok: false, error: 'unknown_method' } };
    if (req.method !== 'POST') return { status: 200, json: { ok: false, error: 'invalid_request_method' } };
    const fault = faults.take(req);
    if (fault && isDelay(fault)) await sleep(fault.delayMs);
    else if (fault) return faultResponse(fault);
    const body = bodyFields(req);
    const given = bearer(req) ?? (typeof body.token === 'string' ? body.token : undefined);
    if (!given) return { status: 200, json: { ok: false, error: 'not_authed' } };
    if (given !== token) return { status: 200, json: { ok: false, error: 'invalid_auth' } };
    const channel = typeof body.channel === 'string' ? body.channel : '';
    if (!channel) return { status: 200, json: { ok: false, error: 'channel_not_found' } };
    const text = typeof body.text === 'string' ? body.text : '';
    if (!text && body.blocks === undefined && body.attachments === undefined) return { status: 200, json: { ok: false, error: 'no_text' } };
    const threadTs = typeof body.thread_ts === 'string' && body.thread_ts ? body.thread_ts : undefined;
    const ts = nextTs();
    received.push({ channel, text, ...(threadTs ? { threadTs } : {}), ts, body });
    const message = { type: 'message', subtype: 'bot_message', text, user: botUser, bot_id: botId, ts, ...(threadTs ? { thread_ts: threadTs } : {}) };
    return { status: 200, json: { ok: true, channel, ts, message } };
  });

  return {
    ...base,
    token,
    received,
    failNext: (n, fault) => faults.failNext(n, fault),
    reset() {
      received.length = 0;
      base.requests.length = 0;
      faults.reset();
    },
  };
}
