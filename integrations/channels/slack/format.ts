// An answer as Slack mrkdwn.
import type { FormattedMessage, ReplyContent } from '../types.ts';
import { formatSlackText } from '../format/slack.ts';

export function format(reply: ReplyContent, _settings: Record<string, unknown> = {}): FormattedMessage {
  return { text: formatSlackText(reply) };
}
