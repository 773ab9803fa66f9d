// `npm run eval:kb -- <questions.json> [--site <dir | sitemap url>] [--k <n>]`
// Ingests a help center in-process (no Temporal, no document store; Chroma is needed and started here
// when CHROMA_URL is unset), asks every question through retrieve + answer, and prints the scores.
// The site defaults to the questions file's folder (its HTML pages only).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadEnv } from '../config/env.ts';
import { createEmbedder } from '../integrations/embeddings/index.ts';
import { embeddingText } from '../integrations/knowledge/chunk.ts';
import { discover, type SourceSpec } from '../integrations/knowledge/discover.ts';
import { evaluate, evaluateAbstentions, formatReport, type Ask } from '../integrations/knowledge/eval.ts';
import { preparePage } from '../integrations/knowledge/prepare.ts';
import { createAnswerer } from '../integrations/llm/index.ts';
import { ChromaVectorStore } from '../integrations/vectorstore/chroma.ts';
import { freePort, killNow, startProcess, stopProcess, waitFor, type ManagedProcess } from './stack/processes.ts';

const questionsSchema = z.array(z.object({ question: z.string(), page: z.string(), mustContain: z.array(z.string()).default([]) }));
const handoffSchema = z.array(z.object({ message: z.string() }));

const { values, positionals } = parseArgs({ allowPositionals: true, options: { site: { type: 'string' }, k: { type: 'string' } } });
const questionsFile = positionals[0];
if (!questionsFile) {
  console.error('usage: npm run eval:kb -- <questions.json> [--site <dir | sitemap url>] [--k <n>]');
  process.exit(2);
}
const questionsPath = resolve(questionsFile);
const questions = questionsSchema.parse(JSON.parse(readFileSync(questionsPath, 'utf8')));
const handoffPath = join(dirname(questionsPath), 'handoff.json');
const handoff = existsSync(handoffPath) ? handoffSchema.parse(JSON.parse(readFileSync(handoffPath, 'utf8'))).map((h) => h.message) : [];
const site = values.site ?? dirname(questionsPath);
const spec: SourceSpec = /^https?:\/\//.test(site) ? { type: 'sitemap', url: site } : { type: 'files', paths: [resolve(site)] };

/**
 * Without --site the help center is the questions file's folder, which also holds notes about it (README.md):
 * then only its HTML pages are the site, as a sitemap of the folder would list them. An explicit --site is taken whole.
 */
function defaultSitePages(urls: string[]): string[] {
  if (values.site) return urls;
  const html = urls.filter((u) => /\.html?$/i.test(new URL(u).pathname));
  if (html.length === 0 || html.length === urls.length) return urls;
  console.log(`not ingested (not a page of the site; pass --site to include): ${urls.filter((u) => !html.includes(u)).map((u) => basename(new URL(u).pathname)).join(', ')}`);
  return html;
}

const env = loadEnv();
const k = values.k ? Number(values.k) : env.RETRIEVAL_K;

/** A throwaway Chroma on a free port, its data in a temporary folder, gone when we exit. */
async function startChroma(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'threadline-eval-chroma-'));
  const port = await freePort('127.0.0.1');
  // chromadb exports no package.json subpath; its CommonJS entry sits in dist/cjs, beside dist/cli.mjs.
  const cli = join(dirname(createRequire(import.meta.url).resolve('chromadb')), '..', 'cli.mjs');
  const logFile = join(dir, 'chroma.log');
  const proc: ManagedProcess = startProcess('chroma', process.execPath, [cli, 'run', '--path', join(dir, 'data'), '--host', '127.0.0.1', '--port', String(port)], logFile);
  const onExit = () => killNow([proc]);
  process.on('exit', onExit);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.off('exit', onExit);
    await stopProcess(proc);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor('Chroma', async () => (await fetch(`${url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(1000) })).ok, proc, 30_000, logFile);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
}

const chroma = env.CHROMA_URL ? { url: env.CHROMA_URL, stop: async () => {} } : await startChroma();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void chroma.stop().then(() => process.exit(130)));

try {
  const embedder = createEmbedder(env);
  const answerer = createAnswerer(env);
  const store = new ChromaVectorStore({ url: chroma.url, embedderName: embedder.name, dimensions: embedder.dimensions });
  // A workspace of its own, so an eval never mixes with (or leaves anything in) real knowledge bases.
  const workspaceId = `eval-${process.pid}-${Date.now()}`;
  const sourceId = 'eval';

  const started = Date.now();
  const urls = defaultSitePages(await discover(spec));
  let chunkCount = 0;
  for (const url of urls) {
    try {
      const { chunks } = await preparePage(url, sourceId);
      await store.upsert(workspaceId, chunks, await embedder.embed(chunks.map(embeddingText)));
      chunkCount += chunks.length;
    } catch (err) {
      console.warn(`skipped ${url}: ${(err as Error).message}`);
    }
  }
  console.log(`ingested ${urls.length} pages (${chunkCount} chunks) from ${site} in ${Date.now() - started} ms`);
  console.log(`embedder ${embedder.name} · answerer ${answerer.name} · k ${k} · min confidence ${env.ANSWER_MIN_CONFIDENCE}\n`);

  const ask: Ask = async (question) => {
    const [embedding] = await embedder.embed([question]);
    const retrieved = await store.query(workspaceId, embedding!, k);
    return { retrieved, answer: await answerer.answer({ question, chunks: retrieved, history: [] }) };
  };
  const report = await evaluate(questions, ask);
  const abstentions = await evaluateAbstentions(handoff, ask);
  console.log(formatReport(report, abstentions));
  await store.deleteBySource(workspaceId, sourceId);
} finally {
  await chroma.stop();
}
