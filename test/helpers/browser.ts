// Debian's Chromium for browser tests: launched with the flags this closed network needs, results folder ready.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const RESULTS_DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Fails (never skips) when Chromium is missing, so a misconfigured run cannot look green. */
export async function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run \`node scripts/ensure-chromium.mjs\` first`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}
