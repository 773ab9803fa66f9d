// `npm run ingest -- <url|sitemap.xml|dir> [--workspace demo]`: ingests into a running Threadline, with a progress bar.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startIngestion, type KnowledgeSourceSpec } from '../api/knowledge.ts';
import { loadEnv } from '../config/env.ts';
import { createLogger } from '../config/logger.ts';
import { connectServices } from '../config/services.ts';

const argv = process.argv.slice(2);
const wsFlag = argv.indexOf('--workspace');
const workspaceId = wsFlag >= 0 ? argv[wsFlag + 1] : 'demo';
const target = argv.find((a, i) => !a.startsWith('--') && (wsFlag < 0 || i !== wsFlag + 1));
if (!target || !workspaceId) {
  console.error('usage: npm run ingest -- <url | sitemap.xml url | directory> [--workspace <id>]');
  process.exit(2);
}

function source(t: string): KnowledgeSourceSpec {
  if (/^https?:\/\//.test(t)) return /sitemap[^/]*\.xml$/i.test(new URL(t).pathname) ? { type: 'sitemap', url: t } : { type: 'url', url: t };
  const abs = resolve(t);
  if (!existsSync(abs)) throw new Error(`${t}: no such file or directory`);
  return { type: 'files', paths: [statSync(abs).isDirectory() ? abs : abs] };
}

// Use the servers `npm start` is running unless the environment names others.
const base = loadEnv();
const stackFile = join(base.DATA_DIR, 'stack.json');
const running = existsSync(stackFile) ? (JSON.parse(readFileSync(stackFile, 'utf8')) as Record<string, string>) : {};
const env = loadEnv({ ...running, ...process.env });
const services = await connectServices(env, createLogger('warn'));
try {
  if (!(await services.models.Workspace.exists({ _id: workspaceId }))) throw new Error(`workspace '${workspaceId}' does not exist`);
  const { sourceId, workflowId } = await startIngestion(services, { workspaceId, source: source(target) });
  console.log(`Ingesting ${target} into '${workspaceId}' (source ${sourceId}, workflow ${workflowId}); the worker of \`npm start\` does the work.`);
  const width = 30;
  for (;;) {
    const s = await services.knowledge.KnowledgeSource.findById(sourceId).lean();
    if (!s) throw new Error('source disappeared');
    const total = Math.max(s.pagesTotal, 1);
    const done = s.pagesDone + s.pagesFailed;
    const filled = Math.round((Math.min(done, total) / total) * width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${s.pagesTotal} pages · ${s.chunks} chunks · ${s.pagesUnchanged} unchanged · ${s.pagesFailed} failed · ${s.status}`;
    process.stdout.write(process.stdout.isTTY ? `\r${line}` : `${line}\n`);
    if (s.status === 'done' || s.status === 'failed') {
      process.stdout.write('\n');
      for (const e of s.errors ?? []) console.log(`  ! ${e.url}: ${e.message}`);
      process.exitCode = s.status === 'done' ? 0 : 1;
      break;
    }
    await new Promise((r) => setTimeout(r, process.stdout.isTTY ? 250 : 2000));
  }
} finally {
  await services.close();
}
