// Mail that arrives at the built-in SMTP listener goes the same way as the raw-MIME webhook, minus the bearer secret:
// the listener is the mail server's own hop.
import type { Services } from '../config/services.ts';
import { emailWebhook } from '../integrations/registry.ts';
import { IntegrationError } from '../integrations/types.ts';
import { handleChannelEvents } from './channelEvents.ts';
import { findChannelConfig } from './routes/channels.ts';

export async function receiveMail(services: Services, raw: Buffer, taskQueue?: string): Promise<void> {
  const req = { method: 'SMTP', url: 'smtp://', headers: {}, rawBody: raw, query: {} };
  const key = emailWebhook.routingKey(req);
  if (!key) throw new IntegrationError('invalid_request', 'no recipient', { retryable: false });
  const config = await findChannelConfig(services, emailWebhook, key);
  if (!config) throw new IntegrationError('not_found', `no workspace receives mail for ${key}`, { retryable: false });
  const events = await emailWebhook.parseAsync!(req, config);
  await handleChannelEvents(services, config, events, taskQueue);
}
