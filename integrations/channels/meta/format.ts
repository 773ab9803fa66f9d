// Answers for Messenger (2,000 characters, quick replies) and Instagram (1,000 characters): plain text, no markup.
import type { FormattedMessage, ReplyContent } from '../types.ts';
import { formatPlain } from '../format/plain.ts';

export const MESSENGER_TEXT_LIMIT = 2000;
export const INSTAGRAM_TEXT_LIMIT = 1000;

/** The payload the webhook sees when the customer taps "Talk to a person". */
export const HUMAN_PAYLOAD = 'HUMAN';

export interface QuickReply {
  content_type: 'text';
  title: string;
  payload: string;
}

export function formatMessenger(reply: ReplyContent, _settings: Record<string, unknown> = {}): FormattedMessage {
  const text = formatPlain(reply, MESSENGER_TEXT_LIMIT);
  if (!reply.offerHuman) return { text };
  const quickReplies: QuickReply[] = [{ content_type: 'text', title: 'Talk to a person', payload: HUMAN_PAYLOAD }];
  return { text, extra: { quickReplies } };
}

export function formatInstagram(reply: ReplyContent, _settings: Record<string, unknown> = {}): FormattedMessage {
  return { text: formatPlain(reply, INSTAGRAM_TEXT_LIMIT) };
}
