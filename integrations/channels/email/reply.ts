// The part of a reply the customer just wrote: quoted history ("On … wrote:", Outlook "From: … Sent: …",
// "> " lines) and signatures ("-- ", "Sent from my iPhone") are cut by email-reply-parser, which knows
// many more client and language variants than a hand-written parser would.
import EmailReplyParser from 'email-reply-parser';

const parser = new EmailReplyParser();

export function newText(text: string): string {
  return parser.parseReply(text.replace(/\r\n?/g, '\n')).trim();
}
