// When a customer's words call for a person rather than the bot. Pure and deterministic: runs inside the workflow.

/** Defaults for a workspace's keyword rule: words that need a person whatever the help center says. */
export const DEFAULT_HANDOFF_KEYWORDS = ['legal', 'lawyer', 'attorney', 'lawsuit', 'chargeback'];

export type HandoffReason = 'asked_for_human' | 'keyword' | 'account_specific' | 'abstained_twice' | 'accepted_offer' | 'requested_by_api';

const ASKS_FOR_HUMAN = [
  /\b(talk|speak|chat|get|connect|transfer|put)\b[^.?!]{0,40}\b(human|person|agent|someone|somebody|representative|rep|operator|staff|people|manager|supervisor)\b/i,
  /\b(real|live|actual)\s+(human|person|agent|people)\b/i,
  /\b(human|agent|representative|operator)\s*(please|pls|now)?\s*[.!?]*$/i,
  /\b(not|n't\s+want|don't\s+want)\s+(a\s+|to\s+talk\s+to\s+a\s+)?(bot|robot|machine)\b/i,
  /\b(stop|no more)\b[^.?!]{0,20}\bbot\b/i,
];

// Orders, accounts and payments are the customer's own: the help center cannot know them.
const ORDER_REFERENCE = /\b(order|invoice|case|ticket|tracking)\s*(number|no\.?|#|id)?\s*#?\s*[A-Z0-9-]*\d{4,}/i;
const PROBLEM = /\b(torn|broken|damaged|defective|missing|wrong|never arrived|not arrived|late|lost|charged twice|double charged|replacement|replace|refund)\b/i;

const YES = /^\s*(yes|yeah|yep|sure|ok(ay)?|please( do)?|yes please|please connect me|connect me)\b[\s.!]*$/i;

export function handoffReason(text: string, keywords: readonly string[]): HandoffReason | undefined {
  if (ASKS_FOR_HUMAN.some((re) => re.test(text))) return 'asked_for_human';
  const lower = text.toLowerCase();
  if (keywords.some((k) => new RegExp(`\\b${k.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\w*`, 'i').test(lower))) return 'keyword';
  if (ORDER_REFERENCE.test(text) && PROBLEM.test(text)) return 'account_specific';
  return undefined;
}

/** A short "yes" right after the bot offered a person accepts the offer. */
export function acceptsOffer(text: string): boolean {
  return YES.test(text);
}
