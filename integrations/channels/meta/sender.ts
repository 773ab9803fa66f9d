// Replies to Messenger and Instagram through the Send API (POST /{version}/me/messages with the page token).
import { z } from 'zod';
import { IntegrationError } from '../../types.ts';
import type { ChannelConfig, ChannelSender, FormattedMessage, ReplyAddress, ReplyContent, SendResult } from '../types.ts';
import { formatInstagram, formatMessenger } from './format.ts';
import { graphUrl, postGraph, type GraphSenderOptions } from './graphClient.ts';

const sentSchema = z.object({ message_id: z.string(), recipient_id: z.string().optional() });
const quickRepliesSchema = z.array(z.object({ content_type: z.literal('text'), title: z.string().min(1).max(20), payload: z.string().min(1) })).max(13);

export class MetaSender implements ChannelSender {
  constructor(
    readonly channel: 'messenger' | 'instagram',
    private readonly opts: GraphSenderOptions = {},
  ) {}

  format(reply: ReplyContent, settings: Record<string, unknown>): FormattedMessage {
    return this.channel === 'messenger' ? formatMessenger(reply, settings) : formatInstagram(reply, settings);
  }

  // The Send API takes no idempotency key; a retried send after a lost response can duplicate a message.
  async send(config: ChannelConfig, to: ReplyAddress, message: FormattedMessage, _opts: { idempotencyKey: string }): Promise<SendResult> {
    const recipient = to.recipientId;
    const token = config.credentials.accessToken;
    if (!recipient) throw new IntegrationError('invalid_request', `${this.channel} reply address has no "recipientId"`);
    if (!token) throw new IntegrationError('unauthorized', `${this.channel} channel has no accessToken`);
    const quickReplies = quickRepliesSchema.optional().safeParse(message.extra?.quickReplies);
    if (!quickReplies.success) throw new IntegrationError('invalid_request', `${this.channel} quick replies: ${quickReplies.error.message}`);
    const json = await postGraph(
      graphUrl(this.opts, 'me/messages', { access_token: token }),
      {
        recipient: { id: recipient },
        // RESPONSE: a reply within the 24-hour window the customer's own message opened.
        messaging_type: 'RESPONSE',
        message: { text: message.text, ...(quickReplies.data?.length ? { quick_replies: quickReplies.data } : {}) },
      },
      { timeoutMs: this.opts.timeoutMs, action: `${this.channel} send` },
    );
    const sent = sentSchema.safeParse(json);
    if (!sent.success) throw new IntegrationError('unknown', `${this.channel} send: unexpected response: ${sent.error.message}`);
    return { vendorMessageId: sent.data.message_id, status: 'sent' };
  }
}

export const messengerSender = (opts: GraphSenderOptions = {}) => new MetaSender('messenger', opts);
export const instagramSender = (opts: GraphSenderOptions = {}) => new MetaSender('instagram', opts);
