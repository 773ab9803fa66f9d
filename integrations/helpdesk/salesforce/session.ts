// Sessions by the OAuth 2.0 client credentials flow (the connected app runs as its integration user), one cached
// token per login URL and client id; an operation whose token has expired gets one new token and runs again.
import jsforce from 'jsforce';
import { OAuth2 } from 'jsforce/lib/oauth2.js';
import { z } from 'zod';
import type { HelpdeskConfig } from '../types.ts';
import { missingCredential, unexpectedResponse } from '../shared/errors.ts';
import { isSessionExpired, RecordingTransport, salesforceCall } from './transport.ts';

export interface SalesforceOptions {
  /** Login (My Domain) URL for every workspace (an emulator in tests); otherwise config.baseUrl, otherwise login.salesforce.com. */
  baseUrl?: string;
  timeoutMs?: number;
}

export interface Session {
  accessToken: string;
  instanceUrl: string;
}

const tokenSchema = z.object({ access_token: z.string().min(1), instance_url: z.url() });

export class SalesforceSessions {
  private readonly cache = new Map<string, Promise<Session>>();

  constructor(private readonly opts: SalesforceOptions) {}

  loginUrl(config: HelpdeskConfig): string {
    return (this.opts.baseUrl ?? config.baseUrl ?? 'https://login.salesforce.com').replace(/\/+$/, '');
  }

  /** A cached session, or a new one when there is none or the cached one is `expired`. */
  async session(config: HelpdeskConfig, expired?: Session): Promise<Session> {
    const { clientId, clientSecret } = config.credentials;
    if (!clientId || !clientSecret) throw missingCredential('Salesforce', '"clientId" and "clientSecret"');
    const key = `${this.loginUrl(config)}\n${clientId}`;
    const cached = this.cache.get(key);
    if (cached) {
      const s = await cached.catch(() => undefined);
      // Another operation may already have replaced the expired token.
      if (s && s.accessToken !== expired?.accessToken) return s;
    }
    if (this.cache.get(key) === cached) {
      const fresh = this.requestToken(this.loginUrl(config), clientId, clientSecret);
      this.cache.set(key, fresh);
      fresh.catch(() => {
        if (this.cache.get(key) === fresh) this.cache.delete(key);
      });
    }
    return this.cache.get(key) as Promise<Session>;
  }

  private async requestToken(loginUrl: string, clientId: string, clientSecret: string): Promise<Session> {
    const transport = new RecordingTransport(this.opts.timeoutMs ?? 15_000);
    const oauth2 = new OAuth2({ loginUrl, clientId, clientSecret });
    oauth2._transport = transport;
    const res = tokenSchema.safeParse(await salesforceCall(transport, () => oauth2.requestToken({ grant_type: 'client_credentials' })));
    if (!res.success) throw unexpectedResponse('Salesforce', 'token response', res.error.message);
    return { accessToken: res.data.access_token, instanceUrl: res.data.instance_url.replace(/\/+$/, '') };
  }

  /** Runs `fn` with a connection; on INVALID_SESSION_ID, once more with a new token. */
  async run<T>(config: HelpdeskConfig, apiVersion: string, fn: (conn: jsforce.Connection, session: Session) => Promise<T>): Promise<T> {
    let session = await this.session(config);
    for (let attempt = 1; ; attempt++) {
      const transport = new RecordingTransport(this.opts.timeoutMs ?? 15_000);
      const conn = new jsforce.Connection({ instanceUrl: session.instanceUrl, accessToken: session.accessToken, version: apiVersion });
      conn._transport = transport;
      try {
        return await salesforceCall(transport, () => fn(conn, session));
      } catch (err) {
        if (attempt > 1 || !isSessionExpired(err)) throw err;
        session = await this.session(config, session);
      }
    }
  }
}
