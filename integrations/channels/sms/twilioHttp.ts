// The twilio SDK's HTTP client, pointed at a configurable origin and reading failures itself: the SDK's
// RestException drops the response headers, and with them Retry-After.
import twilio from 'twilio';
import { IntegrationError } from '../../types.ts';

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0];
type HttpResponse = Awaited<ReturnType<InstanceType<typeof twilio.RequestClient>['request']>>;

export function retryAfterMs(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function header(headers: unknown, name: string): unknown {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: (n: string) => unknown } & Record<string, unknown>;
  return typeof h.get === 'function' ? h.get(name) : h[name];
}

export function twilioHttpError(res: HttpResponse): IntegrationError {
  const body = (typeof res.body === 'string' ? safeJson(res.body) : res.body) as { code?: unknown; message?: unknown } | undefined;
  const status = res.statusCode;
  const detail = [body?.code !== undefined ? `code ${String(body.code)}` : '', typeof body?.message === 'string' ? body.message : ''].filter(Boolean).join(' ');
  const message = `Twilio Messages: HTTP ${status}${detail ? ` ${detail}` : ''}`;
  const wait = retryAfterMs(header(res.headers, 'retry-after'));
  if (status === 429) return new IntegrationError('rate_limited', message, { status, retryAfterMs: wait });
  if (status >= 500) return new IntegrationError('unavailable', message, { status, retryAfterMs: wait });
  if (status === 401 || status === 403) return new IntegrationError('unauthorized', message, { status });
  if (status === 404) return new IntegrationError('not_found', message, { status });
  return new IntegrationError('invalid_request', message, { status });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export class TwilioHttpClient extends twilio.RequestClient {
  private readonly origin: string | undefined;

  constructor(baseUrl: string | undefined, opts: { timeoutMs?: number } = {}) {
    // No autoRetry: Temporal retries the activity, honouring Retry-After.
    super({ timeout: opts.timeoutMs, autoRetry: false });
    this.origin = baseUrl?.replace(/\/+$/, '');
  }

  override async request<TData>(opts: RequestOptions): Promise<HttpResponse & { body: TData }> {
    // Every Twilio domain (and any region/edge host name the SDK derived) is replaced: baseUrl means "send here".
    const url = new URL(opts.uri);
    const uri = this.origin ? `${this.origin}${url.pathname}${url.search}` : opts.uri;
    const res = await super.request<TData>({ ...opts, uri } as RequestOptions & { data?: TData });
    if (res.statusCode >= 400) throw twilioHttpError(res);
    return res;
  }
}
