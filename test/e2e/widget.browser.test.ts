// Drives the real widget in Debian's Chromium against a running Threadline
// server (demo workspace ingested): ask, get a cited answer, reload, find the
// history, close with Escape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Page } from 'playwright-core';
import { RESULTS_DIR, launchChromium } from '../helpers/browser.ts';
import { startDemoApp } from '../helpers/app.ts';

const QUESTION = 'How long do I have to return a bike?';
// The answer comes from retrieval plus a model, which can be slow on a cold start.
const ANSWER_TIMEOUT_MS = 90_000;


// Which element inside the widget's (open) shadow root has focus.
function focusedInWidget(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const active = document.querySelector('threadline-widget')?.shadowRoot?.activeElement;
    return active?.getAttribute('aria-label') ?? null;
  });
}

async function openWidget(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Open chat' }).click();
  await page.getByRole('dialog').waitFor({ state: 'visible' });
  assert.equal(await focusedInWidget(page), 'Message', 'opening the chat moves focus into the message input');
}

test('web widget: cited answer, history survives a reload, Escape closes', { timeout: 240_000 }, async (t) => {
  // The real server: worker, API and the demo workspace with the shipped help center ingested.
  const app = await startDemoApp();
  t.after(() => app.stop());
  const base = app.baseUrl;

  const browser = await launchChromium();
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  await page.goto(`${base}/`);
  await openWidget(page);

  await page.getByRole('textbox', { name: 'Message' }).fill(QUESTION);
  await page.keyboard.press('Enter');
  await page.locator('[data-author="customer"]', { hasText: QUESTION }).waitFor();

  // The greeting is also a bot bubble, but only real messages carry an id.
  const answer = page.locator('[data-author="bot"][data-message-id]').last();
  await answer.waitFor({ timeout: ANSWER_TIMEOUT_MS });
  const answerId = await answer.getAttribute('data-message-id');
  assert.ok(answerId, 'the answer carries its messageId');
  const answerText = (await answer.locator('.bubble > :not(.sources)').allInnerTexts()).join(' ').trim();
  assert.ok(answerText.length > 0, 'the answer has text');

  const citation = answer.locator('.sources a').first();
  await citation.waitFor();
  assert.match((await citation.getAttribute('href')) ?? '', /^https?:\/\//);
  assert.equal(await citation.getAttribute('target'), '_blank');
  assert.match((await citation.getAttribute('rel')) ?? '', /\bnoopener\b/);

  // The host page forces a serif font with !important; the Shadow DOM must win.
  const font = await answer.locator('.bubble').evaluate((el) => getComputedStyle(el).fontFamily);
  assert.doesNotMatch(font, /Georgia/, `host CSS leaked into the widget (font-family: ${font})`);

  await page.reload();
  await openWidget(page);
  await page.locator('[data-author="customer"]', { hasText: QUESTION }).waitFor();
  const restored = page.locator(`[data-author="bot"][data-message-id="${answerId}"]`);
  await restored.waitFor();
  const firstWords = answerText.replace(/\s+/g, ' ').slice(0, 40);
  assert.ok(
    (await restored.innerText()).replace(/\s+/g, ' ').includes(firstWords),
    'the answer shown from history matches the one received live',
  );
  await page.screenshot({ path: `${RESULTS_DIR}widget.png` });

  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  assert.match((await focusedInWidget(page)) ?? '', /^Open chat/, 'Escape returns focus to the launcher');

  assert.deepEqual(pageErrors, [], 'the page threw no errors');
});
