// A node-zendesk client for one workspace's Zendesk: the instance (or an emulator) at a base URL, an API token or
// an OAuth token from the workspace's credentials.
import zendesk from 'node-zendesk';
import type { HelpdeskConfig } from '../types.ts';
import { missingCredential } from '../shared/errors.ts';
import { zendeskTransport } from './transport.ts';

export type ZendeskClient = ReturnType<typeof zendesk.createClient>;

export interface ZendeskOptions {
  /** Zendesk origin for every workspace (an emulator in tests); otherwise config.baseUrl, otherwise https://<routingKey>.zendesk.com. */
  baseUrl?: string;
  timeoutMs?: number;
}

export function zendeskOrigin(config: HelpdeskConfig, opts: ZendeskOptions): string {
  return (opts.baseUrl ?? config.baseUrl ?? `https://${config.routingKey}.zendesk.com`).replace(/\/+$/, '');
}

export function zendeskClient(config: HelpdeskConfig, opts: ZendeskOptions): ZendeskClient {
  const { email, apiToken, oauthToken } = config.credentials;
  const auth = oauthToken ? { token: oauthToken, useOAuth: true } : email && apiToken ? { username: email, token: apiToken } : undefined;
  if (!auth) throw missingCredential('Zendesk', '"email" and "apiToken", or "oauthToken"');
  return zendesk.createClient({
    ...auth,
    endpointUri: `${zendeskOrigin(config, opts)}/api/v2`,
    // Our transport throws IntegrationError; without this the SDK would wrap it into a plain Error.
    throwOriginalException: true,
    transportConfig: zendeskTransport(opts.timeoutMs ?? 15_000),
  });
}
