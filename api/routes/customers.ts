// Customers as agents see them: identifiers with their verified flags, and merges by hand.
import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../config/services.ts';
import { mergeCustomers } from '../identity/merge.ts';
import { notFound } from '../errors.ts';
import { auth, requireKey } from '../middleware/auth.ts';
import { validateBody } from '../middleware/validate.ts';

const mergeBody = z.object({ otherCustomerId: z.string().min(1).max(100) }).strict();

export function customersRouter(services: Services, opts: { taskQueue?: string } = {}): Router {
  const { Customer } = services.models;
  const r = Router();

  r.get('/:customerId', requireKey(services.models, 'customers:read'), async (req, res) => {
    const c = await Customer.findOne({ _id: String(req.params.customerId), workspaceId: auth(req).workspaceId }).lean();
    if (!c) throw notFound('customer');
    res.json({
      customerId: c._id,
      name: c.name ?? null,
      identifiers: c.identifiers.map((i) => ({ kind: i.kind, value: i.value, verified: i.verified, source: i.source, firstSeen: i.firstSeen, lastSeen: i.lastSeen })),
      mergedIds: c.mergedIds,
      mergedInto: c.mergedInto ?? null,
      createdAt: c.createdAt,
    });
  });

  r.post('/:customerId/merge', requireKey(services.models, 'customers:write'), validateBody(mergeBody), async (req, res) => {
    const workspaceId = auth(req).workspaceId;
    const { otherCustomerId } = req.body as z.infer<typeof mergeBody>;
    const ids = [String(req.params.customerId), otherCustomerId];
    // Both must be this workspace's: another workspace's customer is simply not found.
    if ((await Customer.countDocuments({ _id: { $in: ids }, workspaceId })) !== new Set(ids).size) throw notFound('customer');
    res.json(await mergeCustomers(services, workspaceId, ids[0]!, ids[1]!, opts.taskQueue));
  });

  return r;
}
