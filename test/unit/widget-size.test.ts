import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { buildWidget } from '../../api/widget/build.ts';

// The widget loads on every page of a customer's site, so its weight is a
// feature; 25 KB gzipped is the budget.
const BUDGET_BYTES = 25 * 1024;

test('widget.js stays under 25 KB gzipped', async () => {
  const js = await buildWidget();
  const gzipped = gzipSync(js).length;
  assert.ok(js.length > 1000, 'the bundle looks empty');
  assert.ok(gzipped < BUDGET_BYTES, `widget.js is ${gzipped} bytes gzipped, budget ${BUDGET_BYTES}`);
});

test('buildWidget caches the bundle', async () => {
  assert.equal(await buildWidget(), await buildWidget());
});

test('widget never feeds data to an HTML parser', () => {
  const source = readFileSync(new URL('../../api/widget/widget.ts', import.meta.url), 'utf8');
  // Whatever is assigned to innerHTML/outerHTML or passed to
  // insertAdjacentHTML/document.write must be a constant string: a template
  // with ${...}, a concatenation or a variable could carry message text.
  const sinks = [
    ...source.matchAll(/\.(?:innerHTML|outerHTML)\s*\+?=\s*([^;\n]+)/g),
    ...source.matchAll(/\.insertAdjacentHTML\s*\(\s*[^,]+,\s*([^)\n]+)\)/g),
    ...source.matchAll(/document\.write(?:ln)?\s*\(\s*([^)\n]+)\)/g),
  ];
  const constant = /^(?:'[^'\\]*'|"[^"\\]*"|`[^`$\\]*`)$/;
  for (const [sink, value = ''] of sinks) {
    assert.match(value.trim(), constant, `HTML sink with non-constant data: ${sink}`);
  }
});
