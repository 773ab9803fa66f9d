// A workspace's own settings (help desk, handoff rules, business hours) and its help-desk connection.
import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../config/services.ts';
import { workspaceSettings, workspaceSettingsSchema } from '../../config/workspaceSettings.ts';
import { helpdeskConfigKey } from '../../models/helpdeskConfig.ts';
import { ApiError } from '../errors.ts';
import { auth, requireKey } from '../middleware/auth.ts';
import { validateBody } from '../middleware/validate.ts';

const helpdeskBody = z
  .object({
    helpdesk: z.enum(['zendesk', 'hubspot', 'salesforce']),
    routingKey: z.string().trim().min(1).max(200),
    baseUrl: z.string().url().optional(),
    credentials: z.record(z.string(), z.string().max(8000)).default({}),
    settings: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export function workspaceSettingsRouter(services: Services): Router {
  const { Workspace, HelpdeskConfig } = services.models;
  const r = Router();
  const write = requireKey(services.models, 'conversations:write');

  r.get('/settings', write, async (req, res) => {
    const ws = await Workspace.findById(auth(req).workspaceId).lean();
    res.json(workspaceSettings(ws?.settings));
  });

  // The whole settings document, validated; omitted parts take their defaults.
  r.put('/settings', write, validateBody(workspaceSettingsSchema), async (req, res) => {
    await Workspace.updateOne({ _id: auth(req).workspaceId }, { $set: { settings: req.body } });
    res.json(req.body);
  });

  r.put('/helpdesk', write, validateBody(helpdeskBody), async (req, res) => {
    const workspaceId = auth(req).workspaceId;
    const b = req.body as z.infer<typeof helpdeskBody>;
    const _id = helpdeskConfigKey(b.helpdesk, b.routingKey);
    const taken = await HelpdeskConfig.findById(_id).lean();
    if (taken && taken.workspaceId !== workspaceId) throw new ApiError(409, 'routing_key_taken', `${b.helpdesk} account '${b.routingKey}' is connected to another workspace`);
    await HelpdeskConfig.deleteMany({ workspaceId, helpdesk: b.helpdesk, _id: { $ne: _id } });
    await HelpdeskConfig.updateOne({ _id }, { $set: { workspaceId, helpdesk: b.helpdesk, routingKey: b.routingKey, credentials: b.credentials, settings: b.settings, updatedAt: new Date(), ...(b.baseUrl ? { baseUrl: b.baseUrl } : {}) } }, { upsert: true });
    // Connecting a help desk makes it the one handoffs go to.
    const ws = await Workspace.findById(workspaceId).lean();
    await Workspace.updateOne({ _id: workspaceId }, { $set: { settings: { ...workspaceSettings(ws?.settings), helpdesk: b.helpdesk } } });
    res.json({ helpdesk: b.helpdesk, routingKey: b.routingKey, credentials: Object.keys(b.credentials) });
  });

  return r;
}
