// Ingest the fixture help center over HTTP (sitemap), then ask every question of questions.json through the widget.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evaluate, formatReport, type EvalQuestion } from '../../integrations/knowledge/eval.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { fixtureDir, serveFixtureSite } from '../helpers/fixtureSite.ts';
import { ingestAndWait } from '../helpers/knowledge.ts';
import { ask, newSession } from '../helpers/widget.ts';

describe('knowledge base quality (offline answerer, local embeddings)', () => {
  let t: TestApp;
  let site: Awaited<ReturnType<typeof serveFixtureSite>>;
  before(async () => {
    t = await startTestApp();
    site = await serveFixtureSite();
  });
  after(async () => {
    await site?.close();
    await t?.stop();
  });

  it('ingests the sitemap, and re-ingesting unchanged pages does nothing', async () => {
    const first = await ingestAndWait(t.baseUrl, t.apiKey, { type: 'sitemap', url: site.sitemapUrl });
    assert.equal(first.status, 'done');
    assert.equal(first.pagesTotal, 14);
    assert.equal(first.pagesFailed, 0);
    assert.ok((first.chunks as number) >= 14);
    const again = await ingestAndWait(t.baseUrl, t.apiKey, { type: 'sitemap', url: site.sitemapUrl });
    assert.equal(again.pagesUnchanged, 14, JSON.stringify(again));
  });

  it('answers the questions of questions.json from the right pages: hit@3 ≥ 90%', async () => {
    const questions = JSON.parse(readFileSync(join(fixtureDir, 'questions.json'), 'utf8')) as EvalQuestion[];
    const report = await evaluate(questions, async (question) => {
      // Each question in its own conversation, as a new visitor would ask it.
      const s = await newSession(t.baseUrl, t.workspaceId);
      const r = await ask(t.baseUrl, s.token, question, 'q1');
      const citations = r.reply?.citations ?? [];
      return { answer: { text: r.reply?.text ?? '', citations, confidence: citations.length ? 1 : 0, abstained: citations.length === 0 }, retrieved: [] };
    });
    console.log(formatReport(report));
    console.log(`hit@3 ${(report.hitAt3 * 100).toFixed(1)}% · containment ${Math.round(report.containment * report.total)}/${report.total}`);
    assert.ok(report.hitAt3 >= 0.9, `hit@3 ${report.hitAt3}`);
  });
});
