// An answer as an SMS: plain text within the workspace's segment cap.
import { z } from 'zod';
import type { FormattedMessage, ReplyContent } from '../types.ts';
import { formatSms, smsSegments } from '../format/sms.ts';

export { smsSegments } from '../format/sms.ts';

const settingsSchema = z.object({
  maxSegments: z.number().int().min(1).max(10).optional().catch(undefined),
  moreUrl: z.url().optional().catch(undefined),
});

export function format(reply: ReplyContent, settings: Record<string, unknown>): FormattedMessage {
  const s = settingsSchema.parse(settings);
  const text = formatSms(reply, { maxSegments: s.maxSegments, moreUrl: s.moreUrl });
  const count = smsSegments(text);
  return { text, extra: { segments: count.segments, encoding: count.encoding } };
}
