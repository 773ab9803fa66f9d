// The Slack Events API envelope, only the parts Threadline reads.
import { z } from 'zod';

export const urlVerificationSchema = z.object({ type: z.literal('url_verification'), challenge: z.string() });

export const slackEventSchema = z.object({
  type: z.string(),
  user: z.string().optional(),
  text: z.string().optional(),
  ts: z.string(),
  channel: z.string().optional(),
  thread_ts: z.string().optional(),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
  channel_type: z.string().optional(),
  files: z.array(z.object({ id: z.string(), url_private: z.string().optional(), mimetype: z.string().optional(), name: z.string().optional(), size: z.number().optional() })).optional(),
});
export type SlackEvent = z.infer<typeof slackEventSchema>;

export const eventCallbackSchema = z.object({
  type: z.literal('event_callback'),
  team_id: z.string().optional(),
  api_app_id: z.string().optional(),
  event_id: z.string(),
  event_time: z.number().optional(),
  // Kept as unknown here: event types Threadline ignores have shapes of their own.
  event: z.object({ type: z.string() }).loose(),
});
