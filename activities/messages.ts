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

    /** Copies a merged conversation's messages into the survivor's, numbered from startSeq; the same call again changes nothing. */
    async absorbTranscript(input: { fromConversationId: string; toConversationId: string; workspaceId: string; customerId: string; startSeq: number }) {
      const msgs = await Message.find({ conversationId: input.fromConversationId }).sort({ seq: 1 }).lean();
      if (msgs.length) {
        await Message.bulkWrite(
          msgs.map((m, i) => ({
            updateOne: {
              filter: { conversationId: input.toConversationId, messageId: m.messageId },
              update: {
                $setOnInsert: {
                  conversationId: input.toConversationId,
                  messageId: m.messageId,
                  workspaceId: input.workspaceId,
                  customerId: input.customerId,
                  seq: input.startSeq + i,
                  author: m.author,
                  channel: m.channel,
                  text: m.text,
                  citations: m.citations ?? [],
                  at: m.at,
                  meta: { ...(m.meta ?? {}), mergedFrom: input.fromConversationId },
                },
              },
              upsert: true,
            },
          })),
          { ordered: false },
        );
      }
      const recent = msgs.slice(-20).map((m, i) => ({
        seq: input.startSeq + msgs.length - Math.min(20, msgs.length) + i,
        messageId: m.messageId,
        author: m.author,
        channel: m.channel,
        text: m.text,
        at: new Date(m.at).toISOString(),
      }));
      return { count: msgs.length, recent };
    },
  };
}
