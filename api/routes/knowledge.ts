import { Router } from 'express';
import { resolve, sep } from 'node:path';
import { z } from 'zod';
import type { Services } from '../../config/services.ts';
import { badRequest, notFound } from '../errors.ts';
import { startIngestion, type KnowledgeSourceSpec } from '../knowledge.ts';
import { auth, requireKey } from '../middleware/auth.ts';
import { validateBody } from '../middleware/validate.ts';

const httpUrl = z.string().url().max(2000).refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');
const sourceBody = z
  .object({
    type: z.enum(['sitemap', 'url', 'files']),
    url: httpUrl.optional(),
    paths: z.array(z.string().min(1).max(1000)).min(1).max(100).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.type === 'files' && !b.paths) ctx.addIssue({ code: 'custom', path: ['paths'], message: 'required for type files' });
    if (b.type !== 'files' && !b.url) ctx.addIssue({ code: 'custom', path: ['url'], message: `required for type ${b.type}` });
  });
const searchBody = z.object({ query: z.string().trim().min(1).max(2000), k: z.number().int().min(1).max(50).default(5) }).strict();

export function knowledgeRouter(services: Services, opts: { taskQueue?: string } = {}): Router {
  const { KnowledgeSource } = services.knowledge;
  const r = Router();
  const read = requireKey(services.models, 'knowledge:read');
  const write = requireKey(services.models, 'knowledge:write');
  const roots = services.env.KNOWLEDGE_FILE_ROOTS.split(',').map((s) => s.trim()).filter(Boolean).map((p) => resolve(p));

  function allowedPaths(paths: string[]): string[] {
    if (!roots.length) throw badRequest('files_disabled', 'files sources are disabled on this instance (set KNOWLEDGE_FILE_ROOTS)');
    return paths.map((p) => {
      const abs = resolve(p);
      if (!roots.some((root) => abs === root || abs.startsWith(root + sep))) throw badRequest('path_not_allowed', `${p} is outside KNOWLEDGE_FILE_ROOTS`);
      return abs;
    });
  }

  r.post('/sources', write, validateBody(sourceBody), async (req, res) => {
    const b = req.body as z.infer<typeof sourceBody>;
    const source: KnowledgeSourceSpec = b.type === 'files' ? { type: 'files', paths: allowedPaths(b.paths!) } : { type: b.type, url: b.url! };
    const started = await startIngestion(services, { workspaceId: auth(req).workspaceId, source }, opts.taskQueue);
    res.status(202).json(started);
  });

  r.get('/sources/:id', read, async (req, res) => {
    const s = await KnowledgeSource.findOne({ _id: String(req.params.id), workspaceId: auth(req).workspaceId }).lean();
    if (!s) throw notFound('knowledge source');
    const { _id, ...rest } = s;
    res.json({ sourceId: _id, ...rest });
  });

  r.delete('/sources/:id', write, async (req, res) => {
    const workspaceId = auth(req).workspaceId;
    const s = await KnowledgeSource.findOne({ _id: String(req.params.id), workspaceId }).lean();
    if (!s) throw notFound('knowledge source');
    await services.vectorStore.deleteBySource(workspaceId, s._id);
    await services.knowledge.KnowledgePage.deleteMany({ workspaceId, sourceId: s._id });
    await KnowledgeSource.updateOne({ _id: s._id }, { $set: { status: 'deleted' } });
    res.status(204).end();
  });

  r.post('/search', read, validateBody(searchBody), async (req, res) => {
    const { query, k } = req.body as z.infer<typeof searchBody>;
    const [embedding] = await services.embedder.embed([query]);
    const chunks = await services.vectorStore.query(auth(req).workspaceId, embedding!, k);
    res.json({ chunks: chunks.map((c) => ({ url: c.url, title: c.title, heading: c.heading, text: c.text, score: c.score })) });
  });

  return r;
}
