// The Messenger / Instagram messaging webhook payload, only the parts Threadline reads.
import { z } from 'zod';

export const messagingSchema = z.object({
  sender: z.object({ id: z.string() }),
  recipient: z.object({ id: z.string() }).optional(),
  timestamp: z.number().optional(),
  message: z
    .object({
      mid: z.string(),
      text: z.string().optional(),
      is_echo: z.boolean().optional(),
      quick_reply: z.object({ payload: z.string() }).optional(),
      reply_to: z.object({ mid: z.string().optional() }).optional(),
      attachments: z.array(z.object({ type: z.string(), payload: z.object({ url: z.string().optional() }).nullish() })).optional(),
    })
    .optional(),
  postback: z.object({ mid: z.string().optional(), title: z.string().optional(), payload: z.string().optional() }).optional(),
  delivery: z.object({ mids: z.array(z.string()).optional() }).optional(),
  read: z.object({ mid: z.string().optional(), mids: z.array(z.string()).optional() }).optional(),
});
export type Messaging = z.infer<typeof messagingSchema>;

export const metaPayloadSchema = z.object({
  object: z.enum(['page', 'instagram']),
  entry: z.array(
    z.object({
      id: z.string(),
      time: z.number().optional(),
      // Kept as unknown here so one odd event cannot make the whole batch unreadable.
      messaging: z.array(z.unknown()).optional(),
    }),
  ),
});
