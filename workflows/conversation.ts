import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { SearchAttributeType, defineSearchAttributeKey, type SearchAttributeUpdatePair } from '@temporalio/common';
import type { Activities } from '../activities/index.ts';
import type { RecordMessageInput } from '../activities/messages.ts';
import {
  agentMessageSignal,
  inboundMessageSchema,
  inboundMessageUpdate,
  stateQuery,
  transcriptQuery,
  type Channel,
  type InboundMessage,
  type Mode,
  type TranscriptEntry,
  type TurnResult,
} from './conversation.messages.ts';
import { ConversationStateMachine, initialState, type CarriedState } from './conversation.state.ts';
import { Lock } from './lock.ts';

export interface ConversationSettings {
  /** Continue-as-new past this many history events, even if the server has not suggested it yet. */
  continueAsNewEvents: number;
  recentMessageIds: number;
  retrievalK: number;
  /** Run the short turn activities (record, retrieve, answer) as local activities to save server round trips. */
  localActivities: boolean;
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
  const lock = new Lock();

  const tag = (channel: Channel | null, mode: Mode) => {
    const pairs: SearchAttributeUpdatePair[] = [
      { key: searchAttributes.workspace, value: workspaceId },
      { key: searchAttributes.mode, value: mode },
    ];
    if (channel) pairs.push({ key: searchAttributes.channel, value: channel });
    upsertSearchAttributes(pairs);
  };

  const stored = (e: TranscriptEntry, extra: Partial<RecordMessageInput> = {}): RecordMessageInput => ({
    conversationId,
    workspaceId,
    customerId,
    ...e,
    ...extra,
  });

  async function handleInbound(msg: InboundMessage): Promise<TurnResult> {
    const entry: TranscriptEntry = { seq: state.nextSeq(), messageId: msg.messageId, author: 'customer', channel: msg.channel, text: msg.text, at: msg.at };
    const channelChanged = msg.channel !== state.snapshot(workspaceId, customerId).lastChannel;
    state.noteChannel(msg.channel);
    state.append(entry);
    if (channelChanged) tag(msg.channel, state.mode);

    if (state.mode !== 'bot') {
      await turn.recordMessages({ messages: [stored(entry)], mode: state.mode });
      return { conversationId, mode: state.mode, duplicate: false };
    }
    const history = state.transcript().slice(0, -1).map((t) => ({ author: t.author, text: t.text }));
    // The customer's message is stored while the bot thinks; it is awaited before the reply is stored and returned.
    const recorded = turn.recordMessages({ messages: [stored(entry)], mode: state.mode });
    const chunks = await turn.retrieve({ workspaceId, query: msg.text, k: settings.retrievalK });
    const answer = await turn.answer({ question: msg.text, chunks, history });
    await recorded;
    state.noteAnswer(answer.abstained);
    const reply: TranscriptEntry = {
      seq: state.nextSeq(),
      messageId: `bot:${msg.messageId}`,
      author: 'bot',
      channel: msg.channel,
      text: answer.text,
      at: new Date().toISOString(),
    };
    await turn.recordMessages({
      messages: [stored(reply, { citations: answer.citations, meta: { confidence: answer.confidence, abstained: answer.abstained } })],
      mode: state.mode,
    });
    state.append(reply);
    state.remember(msg.messageId, reply.messageId);
    return {
      conversationId,
      mode: state.mode,
      duplicate: false,
      reply: { messageId: reply.messageId, text: answer.text, citations: answer.citations, abstained: answer.abstained },
    };
  }

  setHandler(
    inboundMessageUpdate,
    async (msg) => {
      // A redelivery that reached a later run (the update id only dedupes within one run) changes nothing.
      if (state.seen(msg.messageId)) {
        const replyId = state.replyFor(msg.messageId);
        return {
          conversationId,
          mode: state.mode,
          duplicate: true,
          ...(replyId ? { reply: { messageId: replyId, text: '', citations: [], abstained: false } } : {}),
        };
      }
      state.remember(msg.messageId);
      return lock.run(() => handleInbound(msg));
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
      const entry: TranscriptEntry = { seq: state.nextSeq(), messageId: m.messageId, author: 'agent', channel: state.snapshot(workspaceId, customerId).lastChannel ?? 'web', text: m.text, at: m.at };
      state.append(entry);
      await remote.recordMessages({ messages: [stored(entry)], mode: state.mode });
    });
  });
  setHandler(transcriptQuery, () => state.transcript());
  setHandler(stateQuery, () => state.snapshot(workspaceId, customerId));

  tag(state.snapshot(workspaceId, customerId).lastChannel, state.mode);

  // Live until the history grows large, then hand the compact state to a fresh run.
  await condition(() => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > settings.continueAsNewEvents);
  await condition(allHandlersFinished);
  await continueAsNew<typeof conversationWorkflow>({ ...input, carried: state.carry() });
}
