// Replies by SMS through the official twilio SDK (Messages API), against Twilio or an emulator at baseUrl.
import twilio from 'twilio';
import { IntegrationError } from '../../types.ts';
import type { ChannelConfig, ChannelSender, FormattedMessage, ReplyAddress, ReplyContent, SendResult } from '../types.ts';
import { format } from './format.ts';
import { TwilioHttpClient } from './twilioHttp.ts';

export interface TwilioSenderOptions {
  /** Twilio API origin (default https://api.twilio.com); tests and local runs point it at an emulator. */
  baseUrl?: string;
  /** Where Twilio posts delivery statuses (the public SMS webhook URL); a channel's settings.statusCallbackUrl wins. */
  statusCallbackUrl?: string;
  timeoutMs?: number;
}

const NETWORK_TIMEOUTS = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

function transportError(err: unknown): IntegrationError {
  if (err instanceof IntegrationError) return err;
  const code = (err as { code?: unknown }).code;
  const message = `Twilio Messages: ${err instanceof Error ? err.message : String(err)}`;
  return new IntegrationError(typeof code === 'string' && NETWORK_TIMEOUTS.has(code) ? 'timeout' : 'unavailable', message, { cause: err });
}

export class TwilioSender implements ChannelSender {
  readonly channel = 'sms' as const;
  private readonly http: TwilioHttpClient;

  constructor(private readonly opts: TwilioSenderOptions = {}) {
    this.http = new TwilioHttpClient(opts.baseUrl, { timeoutMs: opts.timeoutMs });
  }

  format(reply: ReplyContent, settings: Record<string, unknown>): FormattedMessage {
    return format(reply, settings);
  }

  // Twilio's Messages API takes no idempotency key; a retried send after a lost response can duplicate an SMS.
  async send(config: ChannelConfig, to: ReplyAddress, message: FormattedMessage, _opts: { idempotencyKey: string }): Promise<SendResult> {
    const { accountSid, authToken } = config.credentials;
    const from = to.from ?? config.credentials.from;
    if (!to.to) throw new IntegrationError('invalid_request', 'SMS reply address has no "to"');
    if (!accountSid || !authToken || !from) throw new IntegrationError('unauthorized', 'SMS channel needs accountSid, authToken and from');
    let client: twilio.Twilio;
    try {
      client = twilio(accountSid, authToken, { httpClient: this.http, autoRetry: false });
    } catch (err) {
      throw new IntegrationError('invalid_request', `Twilio client: ${(err as Error).message}`, { cause: err });
    }
    const statusCallback = typeof config.settings.statusCallbackUrl === 'string' ? config.settings.statusCallbackUrl : this.opts.statusCallbackUrl;
    try {
      const sent = await client.messages.create({ to: to.to, from, body: message.text, ...(statusCallback ? { statusCallback } : {}) });
      return { vendorMessageId: sent.sid, status: sent.status === 'sent' ? 'sent' : sent.status === 'delivered' ? 'delivered' : 'queued' };
    } catch (err) {
      throw transportError(err);
    }
  }
}
