// An answer as a WhatsApp text message (WhatsApp markup, at most 4,096 characters).
import type { FormattedMessage, ReplyContent } from '../types.ts';
import { formatWhatsAppText } from '../format/whatsapp.ts';

export function format(reply: ReplyContent, _settings: Record<string, unknown> = {}): FormattedMessage {
  return { text: formatWhatsAppText(reply) };
}
