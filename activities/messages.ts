import { z } from 'zod';
import type { Models } from '../models/index.ts';
import { channels, modes } from '../workflows/conversation.messages.ts';

const storedMessage = z.object({
  conversationId: z.string(),
  messageId: z.string(),
  workspaceId: z.string(),
  customerId: z.string(),
  seq: z.number().int().positive(),
  author: z.enum(['customer', 'bot', 'agent', 'system']),
  channel: z.enum(channels),
  text: z.string(),
  citations: z.array(z.object({ title: z.string(), url: z.string() })).default([]),
  at: z.string(),
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type RecordMessageInput = z.input<typeof storedMessage>;

const recordInput = z.object({ messages: z.array(storedMessage).min(1), mode: z.enum(modes) });

export function createMessageActivities(deps: { models: Models }) {
  const { Message, Conversation } = deps.models;
  return {
    /** Idempotent: a retried write finds the (conversation, message id) already there and changes nothing. */
    async recordMessages(input: { messages: RecordMessageInput[]; mode: (typeof modes)[number] }): Promise<void> {
      const { messages, mode } = recordInput.parse(input);
      const first = messages[0]!;
      const last = messages[messages.length - 1]!;
      // Two collections, two independent idempotent writes: run them together.
      await Promise.all([
      Message.bulkWrite(
        messages.map((m) => ({
          updateOne: {
            filter: { conversationId: m.conversationId, messageId: m.messageId },
            update: { $setOnInsert: { ...m, at: new Date(m.at) } },
            upsert: true,
          },
        })),
        { ordered: false },
      ),
      Conversation.updateOne(
        { _id: last.conversationId },
        {
          $setOnInsert: { workspaceId: first.workspaceId, customerId: first.customerId, createdAt: new Date(first.at) },
          $set: { mode, lastChannel: last.channel, updatedAt: new Date(last.at) },
          $max: { lastSeq: last.seq },
          $addToSet: { channels: { $each: [...new Set(messages.map((m) => m.channel))] } },
        },
        { upsert: true },
      ),
      ]);
    },
  };
}
