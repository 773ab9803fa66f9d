import { SearchAttributeType, defineSearchAttributeKey, type SearchAttributeUpdatePair } from '@temporalio/common';
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { RecordMessageInput } from '../activities/messages.ts';
import {
  agentMessageSignal,
  burstChannels,
  inboundMessageSchema,
  inboundMessageUpdate,
  stateQuery,
  syncChannels,
  transcriptQuery,
  type Author,
  type Channel,
  type InboundMessage,
  type Mode,
  type TranscriptEntry,
  type TurnResult,
} from './conversation.messages.ts';
import { ConversationStateMachine, initialState, type CarriedState } from './conversation.state.ts';
import { DeadlineTimer } from './deadlineTimer.ts';
import { Lock } from './lock.ts';
import { workflowNow } from './time.ts';

export interface ConversationSettings {
  /** Continue-as-new past this many history events, even if the server has not suggested it yet. */
  continueAsNewEvents: number;
  recentMessageIds: number;
  retrievalK: number;
  /** Run the short turn activities (record, retrieve, answer) as local activities to save server round trips. */
  localActivities: boolean;
  /** Messages on burst channels that arrive within this window are answered once. */
  burstWindowMs: number;
  /** WhatsApp's customer-service window: free-form replies only this long after the customer's last message. */
  whatsappWindowMs: number;
}

export interface ConversationInput {
  workspaceId: string;
  customerId: string;
  settings: ConversationSettings;
  carried?: CarriedState;
}

export const searchAttributes = {
  workspace: defineSearchAttributeKey('ThreadlineWorkspace', SearchAttributeType.KEYWORD),
  channel: defineSearchAttributeKey('ThreadlineChannel', SearchAttributeType.KEYWORD),
  mode: defineSearchAttributeKey('ThreadlineMode', SearchAttributeType.KEYWORD),
};

const retry = { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '30s' };

export async function conversationWorkflow(input: ConversationInput): Promise<void> {
  const { workspaceId, customerId, settings } = input;
  const conversationId = workflowInfo().workflowId;
  const state = new ConversationStateMachine(input.carried ?? initialState(), settings.recentMessageIds);
  const remote = proxyActivities<Activities>({ startToCloseTimeout: '60s', retry });
  const turn = settings.localActivities ? proxyLocalActivities<Activities>({ startToCloseTimeout: '30s', retry }) : remote;
  // Vendors fail and rate-limit: keep trying for about a day, honouring Retry-After (the activity sets nextRetryDelay).
  const delivery = proxyActivities<Activities>({ startToCloseTimeout: '60s', retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10m', maximumAttempts: 12 } });
  const lock = new Lock();
  const now = workflowNow;
  let deliveriesInFlight = 0;
  const deliveryLock = new Lock();
  const whatsappWindow = new DeadlineTimer(() => (state.whatsappWindowEndsAt = 0));
  if (state.whatsappWindowEndsAt > 0) whatsappWindow.extend(state.whatsappWindowEndsAt - now());

  const tag = (channel: Channel | null, mode: Mode) => {
    const pairs: SearchAttributeUpdatePair[] = [
      { key: searchAttributes.workspace, value: workspaceId },
      { key: searchAttributes.mode, value: mode },
    ];
    if (channel) pairs.push({ key: searchAttributes.channel, value: channel });
    upsertSearchAttributes(pairs);
  };

  const stored = (e: TranscriptEntry, extra: Partial<RecordMessageInput> = {}): RecordMessageInput => ({ conversationId, workspaceId, customerId, ...e, ...extra });
  const entry = (author: Author, messageId: string, channel: Channel, text: string, at = new Date().toISOString()): TranscriptEntry => ({
    seq: state.nextSeq(),
    messageId,
    author,
    channel,
    text,
    at,
  });

  /** Stores the customer's message and notes where they are; the caller holds the lock. */
  async function receive(msg: InboundMessage): Promise<void> {
    const e = entry('customer', msg.messageId, msg.channel, msg.text, msg.at);
    const channelChanged = msg.channel !== state.lastChannel;
    state.noteChannel(msg.channel);
    state.noteAddress(msg.channel, msg.replyAddress);
    state.append(e);
    if (channelChanged) tag(msg.channel, state.mode);
    if (msg.channel === 'whatsapp') {
      state.whatsappWindowEndsAt = now() + settings.whatsappWindowMs;
      whatsappWindow.extend(settings.whatsappWindowMs);
    }
    await turn.recordMessages({ messages: [stored(e, msg.attachments?.length ? { meta: { attachments: msg.attachments } } : {})], mode: state.mode });
  }

  /** One bot turn over one or more customer messages (a burst): retrieve, answer, store the reply. */
  async function answer(batch: InboundMessage[]): Promise<TurnResult['reply']> {
    const last = batch[batch.length - 1]!;
    const question = batch.map((m) => m.text).join('\n');
    const history = state.transcript().slice(0, -batch.length).map((t) => ({ author: t.author, text: t.text }));
    const chunks = await turn.retrieve({ workspaceId, query: question, k: settings.retrievalK });
    const a = await turn.answer({ question, chunks, history });
    state.noteAnswer(a.abstained);
    const reply = entry('bot', `bot:${last.messageId}`, last.channel, a.text);
    await turn.recordMessages({
      messages: [stored(reply, { citations: a.citations, meta: { confidence: a.confidence, abstained: a.abstained, answers: batch.map((m) => m.messageId) } })],
      mode: state.mode,
    });
    state.append(reply);
    for (const m of batch) state.remember(m.messageId, reply.messageId);
    return { messageId: reply.messageId, text: a.text, citations: a.citations, abstained: a.abstained };
  }

  /**
   * Queues a delivery: deliveries go out one at a time, in order, apart from the turns, so a vendor that is down
   * delays later deliveries but never the conversation itself.
   */
  function queueDelivery(messageId: string, channel: Channel, reply: { text: string; citations: { title: string; url: string }[]; offerHuman?: boolean }): void {
    deliveriesInFlight++;
    void deliveryLock.run(() => deliver(messageId, channel, reply)).finally(() => deliveriesInFlight--);
  }

  /** Delivers a stored message on a channel; a delivery that finally fails is recorded and shown in the history. */
  async function deliver(messageId: string, channel: Channel, reply: { text: string; citations: { title: string; url: string }[]; offerHuman?: boolean }): Promise<void> {
    if (syncChannels.includes(channel)) return; // the widget reads the history and its stream
    const address = state.addressFor(channel);
    if (!address) return;
    try {
      await delivery.deliverMessage({ workspaceId, conversationId, customerId, messageId, channel, address, reply, whatsappWindowOpen: state.whatsappWindowEndsAt > now() });
    } catch (err) {
      const reason = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
      await remote.markDeliveryFailed({ messageId, channel, error: reason });
      const note = entry('system', `system:delivery-failed:${messageId}:${channel}`, channel, `Delivery on ${channel} failed: ${reason}`);
      state.append(note);
      await remote.recordMessages({ messages: [stored(note)], mode: state.mode });
    }
  }

  setHandler(
    inboundMessageUpdate,
    async (msg) => {
      // A redelivery that reached a later run (the update id only dedupes within one run) changes nothing.
      if (state.seen(msg.messageId)) {
        const replyId = state.replyFor(msg.messageId);
        const reply = replyId ? { reply: { messageId: replyId, text: '', citations: [], abstained: false } } : {};
        return { conversationId, mode: state.mode, duplicate: true, ...reply };
      }
      state.remember(msg.messageId);
      return lock.run(async () => {
        await receive(msg);
        if (state.mode !== 'bot') return { conversationId, mode: state.mode, duplicate: false };
        if (!syncChannels.includes(msg.channel)) {
          state.pending.push(msg);
          return { conversationId, mode: state.mode, duplicate: false, queued: true };
        }
        const reply = await answer([msg]);
        return { conversationId, mode: state.mode, duplicate: false, ...(reply ? { reply } : {}) };
      });
    },
    {
      validator: (msg) => {
        inboundMessageSchema.parse(msg);
        if (msg.customerId !== customerId) throw new Error('message belongs to another customer');
      },
    },
  );

  setHandler(agentMessageSignal, async (m) => {
    await lock.run(async () => {
      const channel = state.lastChannel ?? 'web';
      const e = entry('agent', m.messageId, channel, m.text, m.at);
      state.append(e);
      await remote.recordMessages({ messages: [stored(e)], mode: state.mode });
      queueDelivery(e.messageId, channel, { text: m.text, citations: [] });
    });
  });
  setHandler(transcriptQuery, () => state.transcript());
  setHandler(stateQuery, () => state.snapshot(workspaceId, customerId, now()));

  tag(state.lastChannel, state.mode);

  const shouldContinueAsNew = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > settings.continueAsNewEvents;
  // Asynchronous channels: answer what is pending once the customer has paused for the burst window.
  for (;;) {
    await condition(() => state.pending.length > 0 || shouldContinueAsNew());
    if (state.pending.length === 0) break;
    if (burstChannels.includes(state.pending[0]!.channel)) {
      let seen = state.pending.length;
      while (await condition(() => state.pending.length > seen, settings.burstWindowMs)) seen = state.pending.length;
    }
    await lock.run(async () => {
      const batch = state.takePending();
      if (!batch.length || state.mode !== 'bot') return;
      const reply = await answer(batch);
      const last = batch[batch.length - 1]!;
      if (reply) queueDelivery(reply.messageId, last.channel, { text: reply.text, citations: reply.citations, offerHuman: reply.abstained });
    });
  }
  // Live until the history grows large, then hand the compact state (pending messages included) to a fresh run.
  await condition(() => allHandlersFinished() && deliveriesInFlight === 0);
  await continueAsNew<typeof conversationWorkflow>({ ...input, carried: state.carry() });
}
