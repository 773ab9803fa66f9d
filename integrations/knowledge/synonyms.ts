// Words customers and help centers use for the same thing: a customer asks "do you take PayPal?", the page
// says "we accept PayPal". The list is small and generic on purpose (support vocabulary, not any one shop's
// products): a loose synonym costs precision everywhere, so only near-interchangeable words are grouped.
// Groups are matched on stems, so every inflection of a word joins its group.
import { stem } from './tokenize.ts';

const GROUPS: string[][] = [
  ['accept', 'take'],
  ['cost', 'price', 'fee', 'charge'],
  ['ship', 'deliver', 'delivery', 'dispatch', 'send'],
  ['refund', 'reimburse', 'reimbursement'],
  ['repair', 'fix', 'service', 'mend'],
  ['store', 'shop', 'branch', 'location'],
  ['open', 'hour'],
  ['phone', 'call', 'telephone'],
  ['buy', 'purchase'],
  ['pay', 'payment'],
  ['change', 'modify', 'edit', 'update', 'amend', 'alter'],
  ['delete', 'remove', 'erase'],
  ['expire', 'expiry', 'expiration', 'lapse'],
  ['warranty', 'guarantee', 'guaranty'],
  ['damage', 'broken', 'defect', 'defective', 'faulty'],
  ['try', 'test'],
  ['instalment', 'installment', 'finance', 'financing'],
  ['discount', 'coupon', 'voucher', 'promo', 'promotion'],
  ['lose', 'lost', 'missing'],
  ['book', 'booking', 'appointment', 'reserve', 'reservation', 'schedule'],
  ['exchange', 'swap'],
  ['cancel', 'cancellation'],
  ['parcel', 'package', 'shipment'],
  ['receipt', 'invoice'],
  ['customs', 'duty', 'duties'],
];

let groupOfStem: Map<string, string> | undefined;

function groups(): Map<string, string> {
  if (groupOfStem) return groupOfStem;
  groupOfStem = new Map();
  for (const group of GROUPS) {
    const id = stem(group[0]!);
    for (const word of group) if (!groupOfStem.has(stem(word))) groupOfStem.set(stem(word), id);
  }
  return groupOfStem;
}

/** The group a stemmed term belongs to (named by its first word's stem), or undefined. */
export function synonymGroup(term: string): string | undefined {
  return groups().get(term);
}

/** The groups of a set of stemmed terms. */
export function synonymGroups(terms: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const t of terms) {
    const g = groups().get(t);
    if (g !== undefined) out.add(g);
  }
  return out;
}

/** The word lists, for tests and docs. */
export function synonymList(): readonly (readonly string[])[] {
  return GROUPS;
}
