// Replies in Slack through the official @slack/web-api WebClient (chat.postMessage), in the customer's thread.
import { LogLevel, WebClient } from '@slack/web-api';
import { z } from 'zod';
import { IntegrationError } from '../../types.ts';
import type { ChannelConfig, ChannelSender, FormattedMessage, ReplyAddress, ReplyContent, SendResult } from '../types.ts';
import { slackError } from './errors.ts';
import { format } from './format.ts';

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

export interface SlackSenderOptions {
  /** The Web API root, `…/api/` (default https://slack.com/api/); tests and local runs point it at an emulator. */
  baseUrl?: string;
  timeoutMs?: number;
}

const postedSchema = z.object({ ok: z.literal(true), ts: z.string(), channel: z.string().optional() });

export class SlackSender implements ChannelSender {
  readonly channel = 'slack' as const;

  constructor(private readonly opts: SlackSenderOptions = {}) {}

  format(reply: ReplyContent, settings: Record<string, unknown>): FormattedMessage {
    return format(reply, settings);
  }

  private client(token: string): WebClient {
    return new WebClient(token, {
      slackApiUrl: (this.opts.baseUrl ?? DEFAULT_SLACK_API_URL).replace(/\/*$/, '/'),
      // Temporal retries the activity; the WebClient must neither retry nor sleep out a Retry-After itself.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: this.opts.timeoutMs ?? 15_000,
      logLevel: LogLevel.ERROR,
    });
  }

  // chat.postMessage takes no idempotency key; a retried send after a lost response can duplicate a reply.
  async send(config: ChannelConfig, to: ReplyAddress, message: FormattedMessage, _opts: { idempotencyKey: string }): Promise<SendResult> {
    const token = config.credentials.botToken;
    if (!to.channel) throw new IntegrationError('invalid_request', 'Slack reply address has no "channel"');
    if (!token) throw new IntegrationError('unauthorized', 'Slack channel has no botToken');
    let result: unknown;
    try {
      result = await this.client(token).chat.postMessage({
        channel: to.channel,
        text: message.text,
        mrkdwn: true,
        ...(to.threadTs ? { thread_ts: to.threadTs } : {}),
      });
    } catch (err) {
      throw slackError(err, 'chat.postMessage');
    }
    const posted = postedSchema.safeParse(result);
    if (!posted.success) throw new IntegrationError('unknown', `Slack chat.postMessage: unexpected response: ${posted.error.message}`);
    return { vendorMessageId: posted.data.ts, status: 'sent' };
  }
}
