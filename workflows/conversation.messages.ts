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

/** Answered inside the request (the widget waits for the reply); every other channel is answered asynchronously. */
export const syncChannels: readonly Channel[] = ['web', 'api'];
/** Messages that arrive within the burst window on these channels are answered once, as one turn. */
export const burstChannels: readonly Channel[] = ['sms', 'whatsapp', 'messenger', 'instagram', 'slack'];

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
    /** Where replies go on this channel (a phone number, a Slack thread, mail headers); absent for the widget. */
    replyAddress: z.record(z.string(), z.string()).optional(),
    attachments: z
      .array(z.object({ ref: z.string(), contentType: z.string().optional(), filename: z.string().optional(), size: z.number().optional() }).strict())
      .max(50)
      .optional(),
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
  /** The message is stored and will be answered on its channel (after the burst window), not in this response. */
  queued?: boolean;
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
  pendingMessages: number;
  whatsappWindowOpen: boolean;
  ticket: { helpdesk: 'local' | 'zendesk' | 'hubspot' | 'salesforce'; id: string; externalId: string; url?: string } | null;
  handoffs: number;
  awaitingAgent: boolean;
  addresses: Partial<Record<Channel, Record<string, string>>>;
}

export const inboundMessageUpdate = defineUpdate<TurnResult, [InboundMessage]>('inboundMessage');
export const transcriptQuery = defineQuery<TranscriptEntry[]>('transcript');
export const stateQuery = defineQuery<ConversationState>('state');
/** An agent's public reply from the help desk: delivered to the customer on the channel they last used. */
export const agentMessageSignal = defineSignal<[{ messageId: string; text: string; at: string; agentName?: string }]>('agentMessage');
/** The ticket's status changed at the help desk (solved → the conversation is resolved). */
export const ticketStatusSignal = defineSignal<[{ status: 'new' | 'open' | 'pending' | 'solved' | 'closed'; at: string }]>('ticketStatus');
/** Another conversation of the same person merges into this one: its transcript and state come along. */
export const absorbConversationSignal = defineSignal<[{ fromConversationId: string; mode: Mode; ticket: ConversationState['ticket']; lastChannel: Channel | null; addresses: Partial<Record<Channel, Record<string, string>>> }]>('absorbConversation');
/** This conversation's customer was merged into another: it hands over and completes. */
export const mergedIntoSignal = defineSignal<[{ survivorCustomerId: string }]>('mergedInto');
/** An agent or an API call asks for a person. */
export const requestHandoffSignal = defineSignal<[{ reason: string }]>('requestHandoff');
