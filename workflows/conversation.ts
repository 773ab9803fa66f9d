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
import type { WorkspaceSettings } from '../config/workspaceSettings.ts';
import { createHandoff } from './conversation.handoff.ts';
import {
  absorbConversationSignal,
  agentMessageSignal,
  mergedIntoSignal,
  burstChannels,
  inboundMessageSchema,
  inboundMessageUpdate,
  requestHandoffSignal,
  stateQuery,
  syncChannels,
  ticketStatusSignal,
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
import { acceptsOffer, handoffReason } from './handoff.rules.ts';
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
  /** Help-desk activities run on `<this>.<help desk>`, one rate-limited queue per vendor. */
  helpdeskTaskQueue: string;
  helpdeskTimeoutMs: number;
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
  helpdesk: defineSearchAttributeKey('ThreadlineHelpdesk', SearchAttributeType.KEYWORD),
  ticket: defineSearchAttributeKey('ThreadlineTicket', SearchAttributeType.KEYWORD),
};

type Reply = { text: string; citations: { title: string; url: string }[]; offerHuman?: boolean };
const retry = { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '30s' };

export async function conversationWorkflow(input: ConversationInput): Promise<void> {
  const { workspaceId, customerId, settings } = input;
  const conversationId = workflowInfo().workflowId;
  const state = new ConversationStateMachine(input.carried ?? initialState(), settings.recentMessageIds);
  const remote = proxyActivities<Activities>({ startToCloseTimeout: '60s', retry });
  const turn = settings.localActivities ? proxyLocalActivities<Activities>({ startToCloseTimeout: '30s', retry }) : remote;
  // Vendors fail and rate-limit: keep trying for hours, honouring Retry-After (the activity sets nextRetryDelay).
  const delivery = proxyActivities<Activities>({ startToCloseTimeout: '60s', retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10m', maximumAttempts: 12 } });
  const lock = new Lock();
  const deliveryLock = new Lock();
  let inFlight = 0;
  const track = (p: Promise<unknown>) => {
    inFlight++;
    void p.finally(() => inFlight--);
  };
  const now = workflowNow;
  const whatsappWindow = new DeadlineTimer(() => (state.whatsappWindowEndsAt = 0));
  if (state.whatsappWindowEndsAt > 0) whatsappWindow.extend(state.whatsappWindowEndsAt - now());
  // Workspace settings are read once per run (a settings change reaches running conversations at their next run).
  let ws: WorkspaceSettings | undefined;
  const settingsLoaded = turn.workspaceSettings({ workspaceId }).then((s) => (ws = s));

  const tag = (pairs: SearchAttributeUpdatePair[]) => upsertSearchAttributes(pairs);
  const tagMode = (mode: Mode) => tag([{ key: searchAttributes.mode, value: mode }]);
  tag([{ key: searchAttributes.workspace, value: workspaceId }, { key: searchAttributes.mode, value: state.mode }, ...(state.lastChannel ? [{ key: searchAttributes.channel, value: state.lastChannel }] : [])]);

  const stored = (e: TranscriptEntry, extra: Partial<RecordMessageInput> = {}): RecordMessageInput => ({ conversationId, workspaceId, customerId, ...e, ...extra });
  const entry = (author: Author, messageId: string, channel: Channel, text: string, at = new Date().toISOString()): TranscriptEntry => ({ seq: state.nextSeq(), messageId, author, channel, text, at });

  /** Deliveries go out one at a time, in order, apart from the turns: a vendor that is down never stalls the conversation. */
  function queueDelivery(messageId: string, channel: Channel, reply: Reply): void {
    if (syncChannels.includes(channel)) return; // the widget reads the history and its stream
    track(deliveryLock.run(() => deliver(messageId, channel, reply)));
  }

  async function deliver(messageId: string, channel: Channel, reply: Reply): Promise<void> {
    const address = state.addressFor(channel);
    if (!address) return;
    try {
      await delivery.deliverMessage({ workspaceId, conversationId, customerId, messageId, channel, address, reply, whatsappWindowOpen: state.whatsappWindowEndsAt > now() });
    } catch (err) {
      // A delivery that finally fails is recorded on the outbox and shown in the conversation.
      const reason = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
      await remote.markDeliveryFailed({ messageId, channel, error: reason });
      const note = entry('system', `system:delivery-failed:${messageId}:${channel}`, channel, `Delivery on ${channel} failed: ${reason}`);
      state.append(note);
      await remote.recordMessages({ messages: [stored(note)], mode: state.mode });
    }
  }

  async function say(author: 'bot' | 'system', messageId: string, text: string): Promise<TranscriptEntry> {
    const channel = state.lastChannel ?? 'web';
    const e = entry(author, messageId, channel, text);
    state.append(e);
    await turn.recordMessages({ messages: [stored(e)], mode: state.mode });
    if (author === 'bot') queueDelivery(e.messageId, channel, { text, citations: [] });
    return e;
  }

  const setMode = (mode: Mode) => {
    state.setMode(mode);
    tagMode(mode);
  };
  const handoff = createHandoff({
    workspaceId,
    customerId,
    conversationId,
    state,
    settings: () => ws!,
    helpdeskTaskQueue: settings.helpdeskTaskQueue,
    helpdeskTimeoutMs: settings.helpdeskTimeoutMs ?? 60_000,
    remote,
    say,
    deliver: queueDelivery,
    setMode,
    tagTicket: (helpdesk, ticketId) => tag([{ key: searchAttributes.helpdesk, value: helpdesk }, { key: searchAttributes.ticket, value: ticketId }]),
    background: (fn) => track(lock.run(fn)),
  });

  /**
   * Notes the customer's message and where they are, and starts storing it; the caller holds the lock and awaits
   * the returned write before its turn ends (the bot can think meanwhile).
   */
  function receive(msg: InboundMessage): Promise<void> {
    const e = entry('customer', msg.messageId, msg.channel, msg.text, msg.at);
    const channelChanged = msg.channel !== state.lastChannel;
    state.noteChannel(msg.channel);
    state.noteAddress(msg.channel, msg.replyAddress);
    state.append(e);
    if (channelChanged) tag([{ key: searchAttributes.channel, value: msg.channel }]);
    if (msg.channel === 'whatsapp') {
      state.whatsappWindowEndsAt = now() + settings.whatsappWindowMs;
      whatsappWindow.extend(settings.whatsappWindowMs);
    }
    return turn.recordMessages({ messages: [stored(e, msg.attachments?.length ? { meta: { attachments: msg.attachments } } : {})], mode: state.mode });
  }

  /** Whether these customer words call for a person instead of the bot. */
  const wantsPerson = (text: string) => handoffReason(text, ws!.handoff.keywords) ?? (state.handoff.offered && acceptsOffer(text) ? 'accepted_offer' : undefined);

  /** One bot turn over one or more customer messages (a burst): a person when asked for, else retrieve, answer, store. */
  async function botTurn(batch: InboundMessage[], recorded: Promise<void> = Promise.resolve()): Promise<TurnResult['reply']> {
    const last = batch[batch.length - 1]!;
    const question = batch.map((m) => m.text).join('\n');
    const reason = wantsPerson(question);
    if (reason) {
      await recorded;
      const told = await handoff.start(reason);
      for (const m of batch) state.remember(m.messageId, told?.messageId ?? null);
      return told ? { messageId: told.messageId, text: told.text, citations: [], abstained: false } : undefined;
    }
    const history = state.transcript().slice(0, -batch.length).map((t) => ({ author: t.author, text: t.text }));
    const chunks = await turn.retrieve({ workspaceId, query: question, k: settings.retrievalK });
    const a = await turn.answer({ question, chunks, history });
    await recorded;
    state.noteAnswer(a.abstained);
    state.handoff.offered = a.abstained;
    const reply = entry('bot', `bot:${last.messageId}`, last.channel, a.text);
    await turn.recordMessages({ messages: [stored(reply, { citations: a.citations, meta: { confidence: a.confidence, abstained: a.abstained, answers: batch.map((m) => m.messageId) } })], mode: state.mode });
    state.append(reply);
    for (const m of batch) state.remember(m.messageId, reply.messageId);
    queueDelivery(reply.messageId, last.channel, { text: a.text, citations: a.citations, offerHuman: a.abstained });
    // Twice in a row the bot could not help: a person takes over.
    if (state.snapshot(workspaceId, customerId).abstainStreak >= 2) await handoff.start('abstained_twice');
    return { messageId: reply.messageId, text: a.text, citations: a.citations, abstained: a.abstained };
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
        await settingsLoaded;
        const recorded = receive(msg);
        if (state.mode !== 'bot' || !syncChannels.includes(msg.channel)) {
          await recorded;
          if (state.mode !== 'bot') {
            await handoff.onCustomerMessage(msg);
            return { conversationId, mode: state.mode, duplicate: false };
          }
          state.pending.push(msg);
          return { conversationId, mode: state.mode, duplicate: false, queued: true };
        }
        const reply = await botTurn([msg], recorded);
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
      await settingsLoaded;
      await handoff.onAgentMessage(m);
    });
  });
  setHandler(ticketStatusSignal, async (s) => {
    await lock.run(async () => {
      await settingsLoaded;
      await handoff.onStatus(s.status);
    });
  });
  setHandler(requestHandoffSignal, async (r) => {
    await lock.run(async () => {
      await settingsLoaded;
      await handoff.start(r.reason);
    });
  });
  setHandler(absorbConversationSignal, async (other) => {
    await lock.run(async () => {
      const r = await remote.absorbTranscript({ fromConversationId: other.fromConversationId, toConversationId: conversationId, workspaceId, customerId, startSeq: state.seq + 1 });
      state.absorb(other, r.count, r.recent);
      tag([{ key: searchAttributes.mode, value: state.mode }, ...(state.lastChannel ? [{ key: searchAttributes.channel, value: state.lastChannel }] : [])]);
      if (other.ticket) tag([{ key: searchAttributes.helpdesk, value: other.ticket.helpdesk }, { key: searchAttributes.ticket, value: other.ticket.id }]);
    });
  });
  let merged = false;
  setHandler(mergedIntoSignal, () => {
    merged = true;
  });
  setHandler(transcriptQuery, () => state.transcript());
  setHandler(stateQuery, () => state.snapshot(workspaceId, customerId, now()));

  await settingsLoaded;
  const shouldContinueAsNew = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > settings.continueAsNewEvents;
  // Asynchronous channels: answer what is pending once the customer has paused for the burst window.
  for (;;) {
    await condition(() => state.pending.length > 0 || shouldContinueAsNew() || merged);
    if (state.pending.length === 0) break;
    if (burstChannels.includes(state.pending[0]!.channel)) {
      let seen = state.pending.length;
      while (await condition(() => state.pending.length > seen, settings.burstWindowMs)) seen = state.pending.length;
    }
    await lock.run(async () => {
      const batch = state.takePending();
      if (batch.length && state.mode === 'bot') await botTurn(batch);
    });
  }
  // Live until the history grows large, then hand the compact state (pending messages included) to a fresh run.
  await condition(() => allHandlersFinished() && inFlight === 0);
  // Merged into another customer's conversation: that one carries on, this one is done.
  if (merged) return;
  await continueAsNew<typeof conversationWorkflow>({ ...input, carried: state.carry() });
}
