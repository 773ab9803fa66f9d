// node-zendesk's HTTP transport, replaced: the SDK turns a failure into a bare Error (and a 429 that carries
// Retry-After into a *result*), losing the status and the wait. This one throws IntegrationError with both, and
// bounds every request in time.
import { z } from 'zod';
import type { IntegrationError } from '../../types.ts';
import { httpFailure, networkFailure, safeJson } from '../shared/errors.ts';

const errorBody = z.object({
  error: z.union([z.string(), z.object({ title: z.string().optional(), message: z.string().optional() })]).optional(),
  description: z.string().optional(),
  details: z.record(z.string(), z.array(z.object({ description: z.string().optional() }))).optional(),
});

/** Zendesk's error JSON: `{error, description, details: {field: [{description}]}}`; the details name what to fix. */
export function zendeskHttpError(status: number, text: string, retryAfter: string | null): IntegrationError {
  const parsed = errorBody.safeParse(safeJson(text));
  let detail = text.slice(0, 300);
  if (parsed.success) {
    const { error, description, details } = parsed.data;
    const head = typeof error === 'string' ? error : [error?.title, error?.message].filter(Boolean).join(': ');
    const fields = Object.values(details ?? {}).flat().map((d) => d.description).filter(Boolean).join('; ');
    detail = [head, description, fields].filter(Boolean).join(' — ');
  }
  return httpFailure('Zendesk', status, detail, retryAfter ?? undefined);
}

interface SdkRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
}

interface Fetched {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
}

export function zendeskTransport(timeoutMs: number) {
  return {
    async transportFn(uri: string, options: SdkRequest): Promise<Fetched> {
      const method = options.method.toUpperCase();
      let res: Response;
      try {
        res = await fetch(uri, {
          method,
          headers: options.headers,
          ...(method === 'GET' || method === 'HEAD' ? {} : { body: options.body }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        throw networkFailure('Zendesk', err);
      }
      const text = await res.text();
      if (res.status >= 400) throw zendeskHttpError(res.status, text, res.headers.get('retry-after'));
      return { status: res.status, statusText: res.statusText, headers: res.headers, text };
    },
    responseAdapter(r: Fetched) {
      return { json: async () => JSON.parse(r.text) as unknown, status: r.status, statusText: r.statusText, headers: { get: (name: string) => r.headers.get(name) } };
    },
  };
}
