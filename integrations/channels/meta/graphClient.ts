// One POST to the Graph API with a deadline, its failures mapped; shared by the WhatsApp and Send API senders.
import { IntegrationError } from '../../types.ts';
import { graphError } from './graphErrors.ts';

export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_VERSION = 'v23.0';
const DEFAULT_TIMEOUT_MS = 15_000;

export interface GraphSenderOptions {
  /** Graph API origin; tests and local runs point it at an emulator. */
  baseUrl?: string;
  apiVersion?: string;
  timeoutMs?: number;
}

export function graphUrl(opts: GraphSenderOptions, path: string, query: Record<string, string> = {}): string {
  const base = (opts.baseUrl ?? DEFAULT_GRAPH_URL).replace(/\/+$/, '');
  const qs = new URLSearchParams(query).toString();
  return `${base}/${opts.apiVersion ?? DEFAULT_GRAPH_VERSION}/${path}${qs ? `?${qs}` : ''}`;
}

export async function postGraph(url: string, body: unknown, opts: { headers?: Record<string, string>; timeoutMs?: number; action: string }): Promise<unknown> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...opts.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    text = await res.text();
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    throw new IntegrationError(timedOut ? 'timeout' : 'unavailable', `Graph ${opts.action}: ${(err as Error).message}`, { cause: err });
  }
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) throw graphError(res.status, res.headers, json, opts.action);
  return json;
}
