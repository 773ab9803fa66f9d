// The channel adapter contract: verify and parse a vendor's webhook, format a reply for the medium, send it.
// Adding a channel touches its folder under integrations/channels/<name>/ and one line in integrations/registry.ts.
import type { Citation } from '../types.ts';

export type ChannelName = 'sms' | 'whatsapp' | 'messenger' | 'instagram' | 'slack' | 'email';
export type SenderKind = 'phone' | 'whatsapp' | 'messenger' | 'instagram' | 'slack_user' | 'email';

/** A webhook exactly as the vendor sent it: signatures are checked over these bytes, never over re-serialized JSON. */
export interface RawWebhook {
  method: string;
  /** The public URL the vendor called (scheme, host, path and query), as configured behind proxies. */
  url: string;
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
  query: Record<string, string>;
}

/** Where a reply goes back to, in the channel's own terms (phone numbers, a Slack thread, mail headers). */
export type ReplyAddress = Record<string, string>;

export interface Attachment {
  /** A reference the vendor can resolve (media id, URL); the bytes are not copied. */
  ref: string;
  contentType?: string;
  filename?: string;
  size?: number;
}

export interface InboundMessageEvent {
  type: 'message';
  channel: ChannelName;
  /** The vendor's id of the message: with the channel it is the dedupe key. */
  vendorMessageId: string;
  /** The verified sender as the vendor names it, normalized (E.164 phone, lower-cased email, vendor user id). */
  sender: { kind: SenderKind; value: string; name?: string };
  text: string;
  attachments: Attachment[];
  /** Vendor timestamp, ISO 8601, when the payload has one. */
  at?: string;
  replyAddress: ReplyAddress;
  /** Email threading: ids this message answers (In-Reply-To / References), and a reply+<token> address if used. */
  thread?: { inReplyTo?: string[]; replyToken?: string };
  meta?: Record<string, unknown>;
}

export interface DeliveryStatusEvent {
  type: 'status';
  channel: ChannelName;
  vendorMessageId: string;
  status: 'queued' | 'sent' | 'delivered' | 'read' | 'failed';
  error?: string;
}

export type InboundEvent = InboundMessageEvent | DeliveryStatusEvent;

/** A channel's configuration in one workspace: credentials plus settings (a chatwoot-style "inbox"). */
export interface ChannelConfig {
  workspaceId: string;
  channel: ChannelName;
  /** What the vendor's webhook carries to say which account it is for (Twilio To number, page id, team id, …). */
  routingKey: string;
  credentials: Record<string, string>;
  settings: Record<string, unknown>;
}

export type VerifyResult = { ok: true } | { ok: false; status: 401 | 403; reason: string };

export interface WebhookAdapter {
  /** The channel names this webhook can carry (Meta's one webhook serves Messenger and Instagram). */
  readonly channels: readonly ChannelName[];
  /** GET handshakes (Meta hub.challenge) and in-band challenges (Slack url_verification); undefined when not one. */
  handshake?(req: RawWebhook, lookup: (routingKey: string) => Promise<ChannelConfig | undefined>): Promise<{ status: number; contentType: string; body: string } | undefined>;
  /** The routing key read from the (not yet verified) request, to find the workspace's config and its secret. */
  routingKey(req: RawWebhook): string | undefined;
  verify(req: RawWebhook, config: ChannelConfig, now: Date): VerifyResult;
  parse(req: RawWebhook, config: ChannelConfig): InboundEvent[];
  /** For payloads that can only be parsed asynchronously (raw MIME); when present, callers use it instead of parse. */
  parseAsync?(req: RawWebhook, config: ChannelConfig): Promise<InboundEvent[]>;
  /** What the vendor expects back on success. */
  ack(): { status: number; contentType: string; body: string };
}

/** One reply, before it is shaped for a medium: markdown-like text plus citations. */
export interface ReplyContent {
  text: string;
  citations: Citation[];
  /** Offer a "talk to a person" shortcut where the medium has one (Messenger quick replies). */
  offerHuman?: boolean;
}

/** A reply shaped for one medium; `parts` are sent in order (a medium may need more than one message). */
export interface FormattedMessage {
  text: string;
  html?: string;
  subject?: string;
  /** Vendor-specific extras (quick replies, Slack blocks, a template). */
  extra?: Record<string, unknown>;
}

export interface SendResult {
  vendorMessageId: string;
  status: 'queued' | 'sent' | 'delivered';
}

export interface ChannelSender {
  readonly channel: ChannelName;
  format(reply: ReplyContent, settings: Record<string, unknown>): FormattedMessage;
  /** Sends through the vendor's API; throws IntegrationError (rate_limited with retryAfterMs, invalid_request, …). */
  send(config: ChannelConfig, to: ReplyAddress, message: FormattedMessage, opts: { idempotencyKey: string }): Promise<SendResult>;
}
