// Drives a whole handoff in Debian's Chromium against a running Threadline:
// a visitor asks the widget for a human, an agent signs in to the built-in
// inbox (/inbox), reads the transcript, adds an internal note, replies and
// solves; the widget shows the reply and the solved notice live, never the note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Page } from 'playwright-core';
import { RESULTS_DIR, launchChromium } from '../helpers/browser.ts';
import { createApiKey, WORKSPACE_SCOPES } from '../../api/workspaces.ts';
import { startDemoApp } from '../helpers/app.ts';

const QUESTION = 'I want to talk to a human';
const NOTE = 'checking the order';
const REPLY = 'Hi, this is Sam from support.';
// The handoff runs through the workflow and the help-desk task queue; give a cold start room.
const HANDOFF_TIMEOUT_MS = 90_000;
const LIVE_TIMEOUT_MS = 30_000;

async function openWidget(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Open chat' }).click();
  await page.getByRole('dialog').waitFor({ state: 'visible' });
}

test('inbox: an agent reads the handoff, notes, replies and solves; the widget gets the reply live', { timeout: 300_000 }, async (t) => {
  const app = await startDemoApp();
  t.after(() => app.stop());
  const base = app.baseUrl;
  const key = await createApiKey(app.app.services.models, 'demo', WORKSPACE_SCOPES, 'inbox test');

  const browser = await launchChromium();
  t.after(() => browser.close());
  const pageErrors: string[] = [];

  // ----- Page A: the visitor asks for a person -----
  const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  const widget = await visitorContext.newPage();
  widget.on('pageerror', (err) => pageErrors.push(`widget: ${err.message}`));
  await widget.goto(`${base}/`);
  // Set on the live document: still there at the end means the page was never reloaded.
  await widget.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
  await openWidget(widget);
  await widget.getByRole('textbox', { name: 'Message' }).fill(QUESTION);
  await widget.keyboard.press('Enter');
  await widget.locator('[data-author="customer"]', { hasText: QUESTION }).waitFor();
  await widget.locator('[data-author="bot"]', { hasText: /person on our team/ }).waitFor({ timeout: HANDOFF_TIMEOUT_MS });

  // ----- Page B: the agent, in a separate browser context -----
  const agentContext = await browser.newContext({ viewport: { width: 1360, height: 900 }, reducedMotion: 'reduce' });
  const inbox = await agentContext.newPage();
  inbox.on('pageerror', (err) => pageErrors.push(`inbox: ${err.message}`));
  await inbox.goto(`${base}/inbox`);

  // A wrong key is refused inline, with the API's message.
  await inbox.getByLabel('Workspace API key').fill('tl_key_not_a_real_key');
  await inbox.getByRole('button', { name: 'Sign in' }).click();
  await inbox.locator('#signin-error', { hasText: 'unknown API key' }).waitFor();

  await inbox.getByLabel('Workspace API key').fill(key);
  await inbox.getByRole('button', { name: 'Sign in' }).click();
  const tickets = inbox.getByRole('navigation').getByRole('list', { name: 'Tickets' });
  // The ticket is created by a help-desk activity right after the notice; the list refreshes itself every 5 s.
  const newest = tickets.getByRole('link').first();
  await newest.waitFor({ timeout: LIVE_TIMEOUT_MS });
  assert.match(await newest.innerText(), new RegExp(QUESTION), 'the newest ticket is the one just handed off');
  assert.match(await newest.innerText(), /New/, 'a fresh ticket has status New');
  await newest.click();

  const subject = inbox.getByRole('heading', { level: 2, name: QUESTION });
  await subject.waitFor();
  assert.match(inbox.url(), /#tkt_[0-9a-f]+$/, 'the selected ticket is in the URL hash');
  const transcript = inbox.getByRole('list', { name: 'Transcript' });
  await transcript.locator('[data-author="customer"]', { hasText: QUESTION }).waitFor();
  assert.match(await transcript.locator('[data-author="customer"]').first().innerText(), /Customer/, 'the author label is shown');
  await transcript.locator('[data-author="bot"]', { hasText: /person on our team/ }).waitFor();
  const comments = inbox.getByRole('list', { name: 'Help-desk comments' });

  // Internal note first: it stays in the help desk.
  await inbox.getByRole('radio', { name: 'Internal note' }).check();
  await inbox.getByRole('textbox', { name: 'Message' }).fill(NOTE);
  await inbox.getByRole('button', { name: 'Add internal note' }).click();
  const note = comments.locator('[data-visibility="internal"]', { hasText: NOTE });
  await note.waitFor();
  assert.match(await note.innerText(), /Internal note/, 'the note is marked internal');
  await inbox.getByRole('status').filter({ hasText: 'Internal note added.' }).waitFor();

  // Then a public reply, which goes to the customer.
  await inbox.getByRole('radio', { name: 'Public reply' }).check();
  await inbox.getByRole('textbox', { name: 'Message' }).fill(REPLY);
  await inbox.getByRole('button', { name: 'Send reply' }).click();
  await comments.locator('[data-visibility="public"]', { hasText: REPLY }).waitFor();
  assert.equal(await inbox.getByRole('textbox', { name: 'Message' }).inputValue(), '', 'the reply box is cleared after sending');

  // Solve: the status badge follows, Solve is done and Reopen becomes available.
  await inbox.getByRole('button', { name: 'Solve' }).click();
  await inbox.getByRole('status').filter({ hasText: 'Ticket solved' }).waitFor();
  await inbox.locator('#ticket-badges', { hasText: 'Solved' }).waitFor();
  assert.ok(await inbox.getByRole('button', { name: 'Solve' }).isDisabled(), 'Solve is disabled on a solved ticket');
  assert.ok(await inbox.getByRole('button', { name: 'Reopen' }).isEnabled(), 'Reopen is offered on a solved ticket');
  await tickets.getByRole('link', { name: new RegExp(QUESTION) }).filter({ hasText: 'Solved' }).first().waitFor({ timeout: LIVE_TIMEOUT_MS });
  await inbox.screenshot({ path: `${RESULTS_DIR}inbox.png` });

  // ----- Back on page A: the reply and the solved notice arrive over the stream -----
  const agentReply = widget.locator('[data-author="agent"]', { hasText: REPLY });
  await agentReply.waitFor({ timeout: LIVE_TIMEOUT_MS });
  assert.match(await agentReply.innerText(), /Agent/, 'the reply is labelled as from an agent');
  await widget.locator('[data-author="bot"]', { hasText: 'marked your request as solved' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
  assert.equal(await widget.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload), true, 'the widget page was not reloaded');
  const widgetText = await widget.locator('threadline-widget').evaluate((host) => host.shadowRoot?.textContent ?? '');
  assert.ok(!widgetText.includes(NOTE), 'the internal note never reaches the customer');
  await widget.screenshot({ path: `${RESULTS_DIR}widget-agent-reply.png` });

  // The hash selects a ticket on load too, and Sign out forgets the key.
  await inbox.reload();
  await subject.waitFor();
  await inbox.getByRole('button', { name: 'Sign out' }).click();
  await inbox.getByLabel('Workspace API key').waitFor();
  assert.equal(await inbox.evaluate(() => sessionStorage.getItem('threadline.inbox.key')), null, 'Sign out clears the stored key');

  assert.deepEqual(pageErrors, [], 'the pages threw no errors');
});
