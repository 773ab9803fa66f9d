// Replies through the WhatsApp Cloud API (POST /{version}/{phone-number-id}/messages). Meta publishes no
// official Node SDK for the Cloud API, so this is a plain fetch with the response checked by zod.
import { z } from 'zod';
import { IntegrationError } from '../../types.ts';
import type { ChannelConfig, ChannelSender, FormattedMessage, ReplyAddress, ReplyContent, SendResult } from '../types.ts';
import { graphUrl, postGraph, type GraphSenderOptions } from '../meta/graphClient.ts';
import { format } from './format.ts';

const sentSchema = z.object({ messages: z.array(z.object({ id: z.string() })).min(1) });

export const templateSchema = z.object({
  name: z.string().min(1),
  languageCode: z.string().min(2),
  /** Header/body/button parameters, passed through as the Cloud API defines them. */
  components: z.array(z.record(z.string(), z.unknown())).optional(),
});
export type WhatsAppTemplate = z.infer<typeof templateSchema>;

function target(config: ChannelConfig, to: ReplyAddress) {
  const recipient = to.to;
  const token = config.credentials.accessToken;
  if (!recipient) throw new IntegrationError('invalid_request', 'WhatsApp reply address has no "to"');
  if (!token) throw new IntegrationError('unauthorized', 'WhatsApp channel has no accessToken');
  return { recipient, token, phoneNumberId: to.phoneNumberId ?? config.routingKey };
}

async function post(opts: GraphSenderOptions, config: ChannelConfig, to: ReplyAddress, message: Record<string, unknown>): Promise<SendResult> {
  const t = target(config, to);
  const json = await postGraph(graphUrl(opts, `${encodeURIComponent(t.phoneNumberId)}/messages`), { messaging_product: 'whatsapp', to: t.recipient, ...message }, {
    headers: { authorization: `Bearer ${t.token}` },
    timeoutMs: opts.timeoutMs,
    action: 'WhatsApp messages',
  });
  const sent = sentSchema.safeParse(json);
  if (!sent.success) throw new IntegrationError('unknown', `WhatsApp messages: unexpected response: ${sent.error.message}`);
  // Accepted for delivery; "sent", "delivered" and "read" arrive later as status webhooks.
  return { vendorMessageId: sent.data.messages[0]!.id, status: 'queued' };
}

/** A pre-approved template: the only kind of message WhatsApp allows outside the 24-hour customer window. */
export async function sendTemplate(config: ChannelConfig, to: ReplyAddress, template: WhatsAppTemplate, opts: GraphSenderOptions = {}): Promise<SendResult> {
  const parsed = templateSchema.safeParse(template);
  if (!parsed.success) throw new IntegrationError('invalid_request', `WhatsApp template: ${parsed.error.message}`);
  const t = parsed.data;
  return post(opts, config, to, {
    type: 'template',
    template: { name: t.name, language: { code: t.languageCode }, ...(t.components ? { components: t.components } : {}) },
  });
}

export class WhatsAppSender implements ChannelSender {
  readonly channel = 'whatsapp' as const;

  constructor(private readonly opts: GraphSenderOptions = {}) {}

  format(reply: ReplyContent, settings: Record<string, unknown>): FormattedMessage {
    return format(reply, settings);
  }

  // The Cloud API takes no idempotency key; a retried send after a lost response can duplicate a message.
  async send(config: ChannelConfig, to: ReplyAddress, message: FormattedMessage, _opts: { idempotencyKey: string }): Promise<SendResult> {
    if (message.extra?.template !== undefined) {
      const template = templateSchema.safeParse(message.extra.template);
      if (!template.success) throw new IntegrationError('invalid_request', `WhatsApp template: ${template.error.message}`);
      return sendTemplate(config, to, template.data, this.opts);
    }
    return post(this.opts, config, to, { type: 'text', text: { body: message.text } });
  }
}
