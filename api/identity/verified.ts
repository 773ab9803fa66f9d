// The one way a verified identifier finds or creates its customer: the identifier's owner record decides.
import type { Identifier, IdentifierKind } from '../../models/customer.ts';
import { identifierKey } from '../../models/identifier.ts';
import type { Models } from '../../models/index.ts';
import { randomId } from '../keys.ts';

export interface VerifiedIdentifier {
  kind: IdentifierKind;
  value: string;
  source: string;
  name?: string;
}

export async function createCustomer(models: Models, workspaceId: string, name?: string, identifiers: Identifier[] = []): Promise<string> {
  const customerId = randomId('cus');
  await models.Customer.create({ _id: customerId, workspaceId, ...(name ? { name } : {}), identifiers, mergedIds: [] });
  return customerId;
}

/**
 * The customer who owns a verified identifier; when nobody does yet, `claimant` (or a new customer) becomes its owner.
 * Two first sightings racing end with one owner: the insert that lost reads the winner.
 */
export async function ownerOfVerified(models: Models, workspaceId: string, id: VerifiedIdentifier, claimant?: string): Promise<{ customerId: string; created: boolean }> {
  const now = new Date();
  const key = identifierKey(workspaceId, id.kind, id.value);
  const owner = await models.IdentifierOwner.findById(key).lean();
  if (owner) {
    // lastSeen is for display: refreshed at most hourly, and off the request's path (a write costs more than the read).
    if (now.getTime() - new Date(owner.lastSeen).getTime() > 3_600_000) void models.IdentifierOwner.updateOne({ _id: key }, { $set: { lastSeen: now } }).catch(() => {});
    return { customerId: owner.customerId, created: false };
  }
  const identifier: Identifier = { kind: id.kind, value: id.value, verified: true, source: id.source, firstSeen: now, lastSeen: now };
  // A new customer is written whole, in one insert: updates scan the collection on the embedded store.
  const customerId = claimant ?? (await createCustomer(models, workspaceId, id.name, [identifier]));
  try {
    await models.IdentifierOwner.create({ _id: key, workspaceId, kind: id.kind, value: id.value, customerId, source: id.source, firstSeen: now, lastSeen: now });
  } catch (e) {
    if ((e as { code?: number }).code !== 11000) throw e;
    // Lost the race: the customer made for it is nobody.
    if (!claimant) await models.Customer.deleteOne({ _id: customerId });
    const winner = await models.IdentifierOwner.findById(key).lean();
    if (!winner) throw e;
    return { customerId: winner.customerId, created: false };
  }
  if (claimant) await models.Customer.updateOne({ _id: customerId, workspaceId }, { $push: { identifiers: identifier } });
  return { customerId, created: true };
}
