// The node:http plumbing every HTTP emulator shares: loopback on a free port, the body read whole, JSON or form out.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EmulatorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON unless `text` is given. */
  json?: unknown;
  text?: string;
}

export interface HttpEmulatorBase {
  url: string;
  port: number;
  /** Every request and the status it got, faults and auth failures included: what a test counts retries with. */
  requests: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

export async function startHttpServer(handle: (req: EmulatorRequest) => Promise<EmulatorResponse>): Promise<HttpEmulatorBase> {
  const requests: HttpEmulatorBase['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      handle({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, rawBody: Buffer.concat(chunks) })
        .catch((err: unknown): EmulatorResponse => ({ status: 500, json: { error: `emulator bug: ${String(err)}` } }))
        .then((out) => {
          requests.push({ method: req.method ?? 'GET', path: url.pathname, status: out.status });
          const body = out.text ?? (out.json === undefined ? '' : JSON.stringify(out.json));
          const type = out.text !== undefined ? 'text/plain' : 'application/json; charset=utf-8';
          res.writeHead(out.status, { 'content-type': type, ...out.headers });
          res.end(body);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The body as the vendor would read it: JSON or an urlencoded form, whatever the client chose. */
export function bodyFields(req: EmulatorRequest): Record<string, unknown> {
  const type = String(req.headers['content-type'] ?? '');
  const text = req.rawBody.toString('utf8');
  if (type.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  const form = new URLSearchParams(text);
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    const all = form.getAll(key);
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}

export function bearer(req: EmulatorRequest): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1]?.trim();
}
