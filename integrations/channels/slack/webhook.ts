// Slack Events API: url_verification, then signed event callbacks (messages and app mentions).
import { IntegrationError } from '../../types.ts';
import type { ChannelConfig, InboundEvent, RawWebhook, WebhookAdapter } from '../types.ts';
import { eventCallbackSchema, slackEventSchema, urlVerificationSchema, type SlackEvent } from './payload.ts';
import { verifySlackSignature } from './signature.ts';

/** url_verification carries no team id: a Request URL of `…/events?account=<team id>` lets it be verified too. */
export const ACCOUNT_PARAM = 'account';

/** Message subtypes that are still a person writing; edits, joins, bot posts and the like are not. */
const PERSON_SUBTYPES = new Set(['file_share', 'thread_broadcast']);

const json = (req: RawWebhook): unknown => {
  try {
    return JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
};

const unescape = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function fromPerson(e: SlackEvent): e is SlackEvent & { user: string; channel: string } {
  if (e.type !== 'message' && e.type !== 'app_mention') return false;
  if (e.bot_id || (e.subtype && !PERSON_SUBTYPES.has(e.subtype))) return false;
  return !!e.user && !!e.channel;
}

export const slackWebhook: WebhookAdapter = {
  channels: ['slack'],

  async handshake(req, lookup) {
    const challenge = urlVerificationSchema.safeParse(json(req));
    if (!challenge.success) return undefined;
    const key = req.query[ACCOUNT_PARAM];
    const config = key ? await lookup(key) : undefined;
    // Echoing a challenge reveals nothing and events still need a valid signature, so an unknown account is answered too.
    if (config) {
      const v = verifySlackSignature(req, config.credentials.signingSecret, new Date());
      if (!v.ok) return { status: v.status, contentType: 'text/plain', body: v.reason };
    }
    return { status: 200, contentType: 'application/json', body: JSON.stringify({ challenge: challenge.data.challenge }) };
  },

  routingKey(req) {
    const body = json(req) as { team_id?: unknown; api_app_id?: unknown; authorizations?: { team_id?: unknown }[] } | undefined;
    const key = body?.team_id ?? body?.authorizations?.[0]?.team_id ?? body?.api_app_id ?? req.query[ACCOUNT_PARAM];
    return typeof key === 'string' ? key : undefined;
  },

  verify: (req, config, now) => verifySlackSignature(req, config.credentials.signingSecret, now),

  parse(req: RawWebhook, _config: ChannelConfig): InboundEvent[] {
    const body = json(req) as { type?: unknown } | undefined;
    if (body?.type !== 'event_callback') return [];
    const envelope = eventCallbackSchema.safeParse(body);
    if (!envelope.success) throw new IntegrationError('invalid_request', `Slack event: ${envelope.error.message}`, { status: 400 });
    const parsed = slackEventSchema.safeParse(envelope.data.event);
    if (!parsed.success || !fromPerson(parsed.data)) return [];
    const e = parsed.data;
    // The bot's own mention starts an app_mention; it is addressing, not content.
    const text = unescape(e.type === 'app_mention' ? (e.text ?? '').replace(/^\s*(<@[A-Z0-9]+>\s*)+/, '') : (e.text ?? ''));
    const retryNum = req.headers['x-slack-retry-num'];
    const meta = {
      eventType: e.type,
      ...(e.channel_type ? { channelType: e.channel_type } : {}),
      ...(retryNum ? { retryNum: Number(retryNum), retryReason: req.headers['x-slack-retry-reason'] } : {}),
    };
    const seconds = Number(e.ts);
    return [{
      type: 'message',
      channel: 'slack',
      // event_id, not ts: Slack re-sends an unacknowledged event with the same event_id.
      vendorMessageId: envelope.data.event_id,
      sender: { kind: 'slack_user', value: e.user },
      text,
      attachments: (e.files ?? []).map((f) => ({
        ref: f.url_private ?? f.id,
        ...(f.mimetype ? { contentType: f.mimetype } : {}),
        ...(f.name ? { filename: f.name } : {}),
        ...(f.size !== undefined ? { size: f.size } : {}),
      })),
      ...(Number.isFinite(seconds) ? { at: new Date(seconds * 1000).toISOString() } : {}),
      replyAddress: { channel: e.channel, threadTs: e.thread_ts ?? e.ts },
      meta,
    }];
  },

  ack: () => ({ status: 200, contentType: 'text/plain', body: '' }),
};
