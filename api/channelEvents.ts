// What happens to a verified channel event: a message is routed to its customer's conversation, a delivery
// status updates the outbox. Shared by the webhook routes and the SMTP listener.
import type { Services } from '../config/services.ts';
import type { ChannelConfig, DeliveryStatusEvent, InboundEvent, InboundMessageEvent, SenderKind } from '../integrations/channels/types.ts';
import type { IdentifierKind } from '../models/customer.ts';
import { canonicalCustomerId } from './identity/merge.ts';
import { ownerOfVerified } from './identity/verified.ts';
import { sendInbound } from './inbound.ts';

const identifierKind: Record<SenderKind, IdentifierKind> = {
  phone: 'phone',
  whatsapp: 'whatsapp',
  messenger: 'messenger',
  instagram: 'instagram',
  slack_user: 'slack_user',
  email: 'email',
};

const statusRank: Record<string, number> = { pending: 0, queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/** An email reply finds its conversation by its reply+token address or by the message it answers. */
async function threadCustomer(services: Services, workspaceId: string, ev: InboundMessageEvent): Promise<string | undefined> {
  const { ReplyToken, Outbox, Conversation } = services.models;
  if (ev.thread?.replyToken) {
    const t = await ReplyToken.findOne({ _id: ev.thread.replyToken, workspaceId }).lean();
    if (t) return t.customerId;
  }
  const ids = ev.thread?.inReplyTo?.filter(Boolean) ?? [];
  if (ids.length) {
    const sent = await Outbox.findOne({ workspaceId, vendorMessageId: { $in: ids } }).lean();
    if (sent) return (await Conversation.findById(sent.conversationId).lean())?.customerId;
  }
  return undefined;
}

async function onMessage(services: Services, config: ChannelConfig, ev: InboundMessageEvent, taskQueue?: string) {
  const { workspaceId } = config;
  const threadOf = ev.channel === 'email' ? await threadCustomer(services, workspaceId, ev) : undefined;
  const thread = threadOf ? await canonicalCustomerId(services, workspaceId, threadOf) : undefined;
  // The vendor signed the webhook (or delivered the mail), so the sender is a verified identifier. A reply in a
  // thread goes to that thread's conversation, but a forwarded mail's sender is not linked to its customer.
  const owner = await ownerOfVerified(services.models, workspaceId, { kind: identifierKind[ev.sender.kind], value: ev.sender.value, source: ev.channel, ...(ev.sender.name ? { name: ev.sender.name } : {}) });
  const customerId = thread ?? owner.customerId;
  return sendInbound(
    services,
    {
      workspaceId,
      customerId,
      channel: ev.channel,
      channelMessageId: ev.vendorMessageId,
      text: ev.text,
      replyAddress: ev.replyAddress,
      attachments: ev.attachments,
    },
    taskQueue,
  );
}

async function onStatus(services: Services, config: ChannelConfig, ev: DeliveryStatusEvent) {
  const { Outbox } = services.models;
  const row = await Outbox.findOne({ workspaceId: config.workspaceId, vendorMessageId: ev.vendorMessageId }).lean();
  // Callbacks arrive out of order: a status only moves forward.
  if (!row || (statusRank[ev.status] ?? 0) <= (statusRank[row.status] ?? 0)) return;
  await Outbox.updateOne({ _id: row._id }, { $set: { status: ev.status, updatedAt: new Date(), ...(ev.error ? { error: ev.error } : {}) } });
}

export async function handleChannelEvents(services: Services, config: ChannelConfig, events: InboundEvent[], taskQueue?: string): Promise<void> {
  for (const ev of events) {
    if (ev.type === 'message') await onMessage(services, config, ev, taskQueue);
    else await onStatus(services, config, ev);
  }
}
