// Signals, updates and queries of the conversation workflow: defined once, imported by the workflow, the API and tests.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import type { Citation } from '../integrations/types.ts';

export const CONVERSATION_WORKFLOW = 'conversationWorkflow';

export const channels = ['web', 'sms', 'whatsapp', 'messenger', 'instagram', 'slack', 'email', 'api'] as const;
export type Channel = (typeof channels)[number];
export const modes = ['bot', 'handoff_pending', 'agent', 'resolved'] as const;
export type Mode = (typeof modes)[number];
export type Author = 'customer' | 'bot' | 'agent' | 'system';

export function conversationId(workspaceId: string, customerId: string): string {
  return `conv:${workspaceId}:${customerId}`;
}

/** A customer's message, normalized at the edge; `messageId` is `<channel>:<channel message id>`. */
export const inboundMessageSchema = z
  .object({
    messageId: z.string().min(3).max(300),
    channel: z.enum(channels),
    customerId: z.string().min(1).max(100),
    text: z.string().max(20_000),
    at: z.string().datetime(),
  })
  .strict();
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

export interface ReplyRef {
  messageId: string;
  text: string;
  citations: Citation[];
  abstained: boolean;
}

export interface TurnResult {
  conversationId: string;
  mode: Mode;
  /** True when this message id was seen before: nothing was stored or answered twice. */
  duplicate: boolean;
  /** The bot's reply; on a duplicate only its id is known to the workflow (text and citations are empty). */
  reply?: ReplyRef;
}

export interface TranscriptEntry {
  seq: number;
  messageId: string;
  author: Author;
  channel: Channel;
  text: string;
  at: string;
}

export interface ConversationState {
  workspaceId: string;
  customerId: string;
  mode: Mode;
  lastChannel: Channel | null;
  channels: Channel[];
  seq: number;
  recentMessageIds: number;
  abstainStreak: number;
  runs: number;
}

export const inboundMessageUpdate = defineUpdate<TurnResult, [InboundMessage]>('inboundMessage');
export const transcriptQuery = defineQuery<TranscriptEntry[]>('transcript');
export const stateQuery = defineQuery<ConversationState>('state');
/** Agent replies arrive from a help desk webhook; delivery to the customer belongs to the handoff work. */
export const agentMessageSignal = defineSignal<[{ messageId: string; text: string; at: string; agentName?: string }]>('agentMessage');
