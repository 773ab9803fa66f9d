import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../config/services.ts';
import { requireKey } from '../middleware/auth.ts';
import { validateBody } from '../middleware/validate.ts';
import { createWorkspace } from '../workspaces.ts';

const body = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'lower-case letters, digits and dashes, 2 to 40'),
    name: z.string().trim().min(1).max(200),
  })
  .strict();

export function workspacesRouter(services: Services): Router {
  const r = Router();
  r.post('/', requireKey(services.models, 'admin'), validateBody(body), async (req, res) => {
    const { id, name } = req.body as z.infer<typeof body>;
    res.status(201).json(await createWorkspace(services.models, id, name));
  });
  return r;
}
