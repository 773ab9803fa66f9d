// Connecting a channel to a workspace: which vendor account (routing key) and its credentials.
import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../config/services.ts';
import type { ChannelName } from '../../integrations/channels/types.ts';
import { channelConfigKey } from '../../models/channelConfig.ts';
import { ApiError, notFound } from '../errors.ts';
import { auth, requireKey } from '../middleware/auth.ts';
import { validateBody } from '../middleware/validate.ts';

const channelNames = ['sms', 'whatsapp', 'messenger', 'instagram', 'slack', 'email'] as const satisfies readonly ChannelName[];
const body = z
  .object({
    routingKey: z.string().trim().min(1).max(200),
    credentials: z.record(z.string(), z.string().max(4000)).default({}),
    settings: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export function channelConfigsRouter(services: Services): Router {
  const { ChannelConfig } = services.models;
  const r = Router();
  const write = requireKey(services.models, 'conversations:write');

  r.put('/:channel', write, validateBody(body), async (req, res) => {
    const channel = z.enum(channelNames).safeParse(req.params.channel);
    if (!channel.success) throw notFound(`channel '${String(req.params.channel)}'`);
    const { routingKey, credentials, settings } = req.body as z.infer<typeof body>;
    const workspaceId = auth(req).workspaceId;
    const _id = channelConfigKey(channel.data, routingKey);
    const taken = await ChannelConfig.findById(_id).lean();
    if (taken && taken.workspaceId !== workspaceId) throw new ApiError(409, 'routing_key_taken', `${channel.data} account '${routingKey}' is connected to another workspace`);
    await ChannelConfig.deleteMany({ workspaceId, channel: channel.data, _id: { $ne: _id } });
    await ChannelConfig.updateOne({ _id }, { $set: { workspaceId, channel: channel.data, routingKey, credentials, settings, updatedAt: new Date() } }, { upsert: true });
    res.json({ channel: channel.data, routingKey, settings, credentials: Object.keys(credentials) });
  });

  r.get('/', write, async (req, res) => {
    const rows = await ChannelConfig.find({ workspaceId: auth(req).workspaceId }).lean();
    // Credentials never leave: only which ones are set.
    res.json({ channels: rows.map((c) => ({ channel: c.channel, routingKey: c.routingKey, settings: c.settings, credentials: Object.keys(c.credentials ?? {}) })) });
  });

  return r;
}
