// Linking what a customer proved: an identifier nobody owns becomes theirs; one another customer owns means the
// two are one person, and they merge.
import type { Services } from '../../config/services.ts';
import { mergeCustomers } from './merge.ts';
import { ownerOfVerified, type VerifiedIdentifier } from './verified.ts';

export async function linkProven(services: Services, workspaceId: string, customerId: string, proven: VerifiedIdentifier[], taskQueue?: string): Promise<string> {
  let current = customerId;
  for (const id of proven) {
    const { customerId: owner } = await ownerOfVerified(services.models, workspaceId, id, current);
    if (owner !== current) current = (await mergeCustomers(services, workspaceId, current, owner, taskQueue)).survivorId;
  }
  return current;
}
