// Delivering a stored message on a channel, exactly once per (message, channel) as far as the outbox can tell.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ChannelConfig, ChannelName, ChannelSender, FormattedMessage } from '../integrations/channels/types.ts';
import { replyAddress } from '../integrations/channels/email/address.ts';
import { IntegrationError } from '../integrations/types.ts';
import type { Models } from '../models/index.ts';
import { outboxKey } from '../models/outbox.ts';
import { channels } from '../workflows/conversation.messages.ts';
import { mapFailures } from './errors.ts';

const deliverInput = z.object({
  workspaceId: z.string(),
  conversationId: z.string(),
  customerId: z.string(),
  messageId: z.string(),
  channel: z.enum(channels),
  address: z.record(z.string(), z.string()),
  reply: z.object({ text: z.string(), citations: z.array(z.object({ title: z.string(), url: z.string() })), offerHuman: z.boolean().optional() }),
  whatsappWindowOpen: z.boolean(),
});
export type DeliverInput = z.input<typeof deliverInput>;

export interface DeliverResult {
  status: string;
  vendorMessageId?: string;
  /** 'template' or 'email' when the message could not go as a plain reply on its channel. */
  via?: string;
  /** True when an earlier attempt had already sent it. */
  alreadySent: boolean;
}

export interface DeliveryDeps {
  models: Models;
  senders: Partial<Record<ChannelName, ChannelSender>>;
}

const SENT = ['sent', 'delivered', 'read'];

export function createDeliveryActivities(deps: DeliveryDeps) {
  const { Outbox, ChannelConfig, IdentifierOwner, ReplyToken } = deps.models;

  async function configFor(workspaceId: string, channel: ChannelName): Promise<ChannelConfig> {
    const doc = await ChannelConfig.findOne({ workspaceId, channel }).lean();
    if (!doc) throw new IntegrationError('invalid_request', `the ${channel} channel is not configured for workspace ${workspaceId}`, { retryable: false });
    return { workspaceId, channel, routingKey: doc.routingKey, credentials: doc.credentials, settings: doc.settings };
  }

  async function replyTokenFor(input: { workspaceId: string; conversationId: string; customerId: string }): Promise<string> {
    const existing = await ReplyToken.findOne({ conversationId: input.conversationId }).lean();
    if (existing) return existing._id;
    const token = randomBytes(12).toString('hex');
    await ReplyToken.create({ _id: token, ...input });
    return token;
  }

  /** Where and how a message goes: as itself, as a WhatsApp template outside the window, or by email instead. */
  async function route(input: z.infer<typeof deliverInput>): Promise<{ channel: ChannelName; to: Record<string, string>; via?: string; template?: Record<string, unknown> }> {
    const channel = input.channel as ChannelName;
    if (channel !== 'whatsapp' || input.whatsappWindowOpen) return { channel, to: input.address };
    const wa = await configFor(input.workspaceId, 'whatsapp');
    const template = wa.settings.template as Record<string, unknown> | undefined;
    if (template?.name) return { channel, to: input.address, via: 'template', template };
    const email = await IdentifierOwner.findOne({ workspaceId: input.workspaceId, customerId: input.customerId, kind: 'email' }).lean();
    if (email) return { channel: 'email', to: { to: email.value, subject: 'Your conversation with us' }, via: 'email' };
    throw new IntegrationError('invalid_request', 'the WhatsApp 24-hour window is closed, no template is configured and the customer has no verified email', { retryable: false });
  }

  return {
    deliverMessage: mapFailures(async (raw: DeliverInput): Promise<DeliverResult> => {
      const input = deliverInput.parse(raw);
      const key = outboxKey(input.messageId, input.channel);
      const earlier = await Outbox.findById(key).lean();
      if (earlier && SENT.includes(earlier.status)) {
        return { status: earlier.status, alreadySent: true, ...(earlier.vendorMessageId ? { vendorMessageId: earlier.vendorMessageId } : {}), ...(earlier.via ? { via: earlier.via } : {}) };
      }
      const r = await route(input);
      const sender = deps.senders[r.channel];
      if (!sender) throw new IntegrationError('invalid_request', `no sender for ${r.channel}`, { retryable: false });
      const config = await configFor(input.workspaceId, r.channel);
      const to = { ...r.to };
      // Replies come back to reply+<token>@<the inbound domain>, which routes them to this workspace and conversation.
      if (r.channel === 'email') to.replyTo = replyAddress(await replyTokenFor(input), String(config.settings.replyDomain ?? config.routingKey));
      // The record exists before the vendor is called: a crash after the call leaves a trace to reconcile.
      await Outbox.updateOne(
        { _id: key },
        {
          $setOnInsert: { workspaceId: input.workspaceId, conversationId: input.conversationId, messageId: input.messageId, channel: input.channel, createdAt: new Date() },
          $set: { status: 'pending', to, updatedAt: new Date(), ...(r.via ? { via: r.via } : {}) },
          $inc: { attempts: 1 },
        },
        { upsert: true },
      );
      const message: FormattedMessage = sender.format(input.reply, config.settings);
      if (r.template) message.extra = { ...message.extra, template: r.template };
      try {
        const sent = await sender.send(config, to, message, { idempotencyKey: input.messageId });
        await Outbox.updateOne({ _id: key }, { $set: { status: sent.status === 'delivered' ? 'delivered' : 'sent', vendorMessageId: sent.vendorMessageId, updatedAt: new Date() }, $unset: { error: 1 } });
        return { status: sent.status, vendorMessageId: sent.vendorMessageId, alreadySent: false, ...(r.via ? { via: r.via } : {}) };
      } catch (err) {
        await Outbox.updateOne({ _id: key }, { $set: { error: err instanceof Error ? err.message : String(err), updatedAt: new Date() } });
        throw err;
      }
    }),

    async markDeliveryFailed(input: { messageId: string; channel: string; error: string }): Promise<void> {
      await Outbox.updateOne({ _id: outboxKey(input.messageId, input.channel) }, { $set: { status: 'failed', error: input.error.slice(0, 2000), updatedAt: new Date() } });
    },
  };
}
