// The one place that names vendors: each channel's webhook adapter (by path under /v1/channels/) and sender.
import type { Env } from '../config/env.ts';
import type { Models } from '../models/index.ts';
import { HubSpotHelpdesk } from './helpdesk/hubspot/adapter.ts';
import { hubspotWebhook } from './helpdesk/hubspot/webhook.ts';
import { LocalHelpdesk } from './helpdesk/local/adapter.ts';
import { SalesforceHelpdesk } from './helpdesk/salesforce/adapter.ts';
import { salesforceWebhook } from './helpdesk/salesforce/webhook.ts';
import { ZendeskHelpdesk } from './helpdesk/zendesk/adapter.ts';
import { zendeskWebhook } from './helpdesk/zendesk/webhook.ts';
import type { HelpdeskAdapter, HelpdeskName, HelpdeskWebhookAdapter } from './helpdesk/types.ts';
import { emailWebhook } from './channels/email/webhook.ts';
import { EmailSender } from './channels/email/sender.ts';
import { instagramSender, messengerSender } from './channels/meta/sender.ts';
import { metaWebhook } from './channels/meta/webhook.ts';
import { SlackSender } from './channels/slack/sender.ts';
import { slackWebhook } from './channels/slack/webhook.ts';
import { TwilioSender } from './channels/sms/sender.ts';
import { twilioSmsWebhook } from './channels/sms/webhook.ts';
import type { ChannelName, ChannelSender, WebhookAdapter } from './channels/types.ts';
import { WhatsAppSender } from './channels/whatsapp/sender.ts';
import { whatsappWebhook } from './channels/whatsapp/webhook.ts';

export { emailWebhook };

export const webhookRoutes: Record<string, WebhookAdapter> = {
  'twilio/sms': twilioSmsWebhook,
  'whatsapp/webhook': whatsappWebhook,
  'meta/webhook': metaWebhook,
  'slack/events': slackWebhook,
  'email/inbound': emailWebhook,
};

export function createSenders(env: Env): Partial<Record<ChannelName, ChannelSender>> {
  const graph = { baseUrl: env.GRAPH_API_URL, apiVersion: env.GRAPH_API_VERSION };
  return {
    sms: new TwilioSender({ baseUrl: env.TWILIO_API_URL, ...(env.PUBLIC_BASE_URL ? { statusCallbackUrl: `${env.PUBLIC_BASE_URL.replace(/\/+$/, '')}/v1/channels/twilio/sms` } : {}) }),
    whatsapp: new WhatsAppSender(graph),
    messenger: messengerSender(graph),
    instagram: instagramSender(graph),
    slack: new SlackSender({ baseUrl: env.SLACK_API_URL }),
    email: new EmailSender({
      host: env.SMTP_HOST,
      port: env.SMTP_PORT,
      secure: env.SMTP_SECURE,
      ...(env.SMTP_USER ? { auth: { user: env.SMTP_USER, pass: env.SMTP_PASSWORD ?? '' } } : {}),
    }),
  };
}

export function createHelpdesks(models: Models): Partial<Record<HelpdeskName, HelpdeskAdapter>> {
  return {
    local: new LocalHelpdesk(models.LocalTicket),
    // Each vendor's base URL is the workspace's help-desk config (its own subdomain or instance); tests point it at emulators.
    zendesk: new ZendeskHelpdesk(),
    hubspot: new HubSpotHelpdesk(),
    salesforce: new SalesforceHelpdesk(),
  };
}

/** Help-desk webhooks by path under /v1/helpdesk/ (the local inbox needs none: its page calls the API). */
export const helpdeskWebhookRoutes: Record<string, HelpdeskWebhookAdapter> = {
  'zendesk/webhook': zendeskWebhook,
  'hubspot/webhook': hubspotWebhook,
  'salesforce/outbound': salesforceWebhook,
};
