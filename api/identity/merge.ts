// Merging two customers who proved to be one person: one survivor (the older), identifiers and sessions move,
// and the other's open conversation hands its transcript and state to the survivor's, then completes.
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Services } from '../../config/services.ts';
import { conversationWorkflow } from '../../workflows/conversation.ts';
import { absorbConversationSignal, conversationId, mergedIntoSignal, stateQuery } from '../../workflows/conversation.messages.ts';
import { conversationSettings } from '../conversationSettings.ts';
import { notFound } from '../errors.ts';

/** Follows merges to the customer who stands for this one now. */
export async function canonicalCustomerId(services: Services, workspaceId: string, customerId: string): Promise<string> {
  let id = customerId;
  for (let hops = 0; hops < 10; hops++) {
    const c = await services.models.Customer.findOne({ _id: id, workspaceId }, { mergedInto: 1 }).lean();
    if (!c?.mergedInto) return id;
    id = c.mergedInto;
  }
  return id;
}

export async function mergeCustomers(services: Services, workspaceId: string, aId: string, bId: string, taskQueue = services.env.TEMPORAL_TASK_QUEUE): Promise<{ survivorId: string; mergedId: string | null }> {
  const { Customer, MergeLock, IdentifierOwner, WidgetSession } = services.models;
  const a = await canonicalCustomerId(services, workspaceId, aId);
  const b = await canonicalCustomerId(services, workspaceId, bId);
  if (a === b) return { survivorId: a, mergedId: null };
  const [ca, cb] = await Promise.all([Customer.findOne({ _id: a, workspaceId }).lean(), Customer.findOne({ _id: b, workspaceId }).lean()]);
  if (!ca || !cb) throw notFound('customer');
  // The older customer survives, so two racing merges of one pair agree on the survivor.
  const [survivor, other] = ca.createdAt < cb.createdAt || (ca.createdAt.getTime() === cb.createdAt.getTime() && ca._id < cb._id) ? [ca, cb] : [cb, ca];
  try {
    await MergeLock.create({ _id: `${workspaceId}|${other._id}`, workspaceId, mergedId: other._id, survivorId: survivor._id });
  } catch (e) {
    if ((e as { code?: number }).code !== 11000) throw e;
    // Someone else is merging this customer: wait for them, then report where it went.
    for (let i = 0; i < 50; i++) {
      const done = await Customer.findById(other._id, { mergedInto: 1 }).lean();
      if (done?.mergedInto) return { survivorId: await canonicalCustomerId(services, workspaceId, done.mergedInto), mergedId: other._id };
      await new Promise((r) => setTimeout(r, 100));
    }
    return { survivorId: survivor._id, mergedId: other._id };
  }

  const known = new Set(survivor.identifiers.map((i) => `${i.kind}|${i.value}|${i.verified}`));
  const moved = other.identifiers.filter((i) => !known.has(`${i.kind}|${i.value}|${i.verified}`));
  await Customer.updateOne(
    { _id: survivor._id },
    { $push: { identifiers: { $each: moved } }, $addToSet: { mergedIds: { $each: [other._id, ...other.mergedIds] } }, ...(!survivor.name && other.name ? { $set: { name: other.name } } : {}) },
  );
  await IdentifierOwner.updateMany({ workspaceId, customerId: other._id }, { $set: { customerId: survivor._id } });
  await WidgetSession.updateMany({ workspaceId, customerId: other._id }, { $set: { customerId: survivor._id } });
  await Customer.updateOne({ _id: other._id }, { $set: { mergedInto: survivor._id } });

  // The conversations: the other's hands over to the survivor's (started if need be), then completes.
  const fromId = conversationId(workspaceId, other._id);
  const toId = conversationId(workspaceId, survivor._id);
  const from = services.temporal.workflow.getHandle(fromId);
  let otherState;
  try {
    otherState = await from.query(stateQuery);
  } catch (e) {
    if (!(e instanceof WorkflowNotFoundError)) throw e;
  }
  if (otherState) {
    await services.temporal.workflow.signalWithStart(conversationWorkflow, {
      workflowId: toId,
      taskQueue,
      args: [{ workspaceId, customerId: survivor._id, settings: conversationSettings(services.env) }],
      signal: absorbConversationSignal,
      signalArgs: [{ fromConversationId: fromId, mode: otherState.mode, ticket: otherState.ticket, lastChannel: otherState.lastChannel, addresses: otherState.addresses }],
    });
    await from.signal(mergedIntoSignal, { survivorCustomerId: survivor._id });
  }
  return { survivorId: survivor._id, mergedId: other._id };
}
