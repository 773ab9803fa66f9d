import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { extractHtml, extractMarkdown, extractText } from '../../integrations/knowledge/extract.ts';

const page = `<!doctype html><html><head><title>Returns &amp; exchanges | Acme</title><style>p{color:red}</style></head>
<body>
<header><nav><a href="/">Home</a> · <a href="/help">Help</a></nav></header>
<aside>Sale: 20% off tents</aside>
<main>
  <h1>Returns and exchanges</h1>
  <p>You can return unused items within 60 days.</p>
  <h2>Refund timing</h2>
  <p>Refunds are issued within <strong>3 business days</strong>.</p>
  <ul><li>Step one: print the label.</li><li>Step two: drop the parcel.</li></ul>
  <form><label>Email</label><input name="email"><button>Subscribe</button></form>
  <h3>Related</h3>
  <ul><li><a href="/a">Shipping</a></li><li><a href="/b">Warranty</a></li></ul>
  <script>track()</script>
</main>
<footer><p>© Acme · Reno</p></footer>
</body></html>`;

test('extraction keeps headed sections of <main> and drops page chrome', () => {
  const { title, sections } = extractHtml(page);
  assert.equal(title, 'Returns & exchanges');
  assert.deepEqual(
    sections.map((s) => s.heading),
    ['', 'Refund timing'],
  );
  assert.match(sections[0]!.text, /return unused items within 60 days/);
  assert.match(sections[1]!.text, /Refunds are issued within 3 business days\./);
  assert.match(sections[1]!.text, /Step one: print the label\.\n.*Step two/);
  const all = sections.map((s) => s.text).join('\n');
  for (const chrome of ['Home', 'Sale', 'Subscribe', 'Email', '©', 'track()', 'color:red', 'Shipping']) {
    assert.ok(!all.includes(chrome), `"${chrome}" should have been dropped`);
  }
});

test('without <main> the body is read, still without nav, header and footer', () => {
  const { title, sections } = extractHtml(
    '<html><body><header>Logo</header><nav>Menu</nav><h1>Gift cards</h1><p>They never expire.</p><footer>Legal</footer></body></html>',
  );
  assert.equal(title, 'Gift cards');
  assert.deepEqual(sections, [{ heading: '', text: 'They never expire.' }]);
});

test('the fixture help center page extracts with its section headings', () => {
  const html = readFileSync(new URL('../../../shared/fixtures/demo-site/help/shipping.html', import.meta.url), 'utf8');
  const { title, sections } = extractHtml(html);
  assert.equal(title, 'Shipping and delivery');
  assert.deepEqual(
    sections.map((s) => s.heading),
    ['', 'Delivery options inside the United States', 'Oversized items', 'Split shipments'],
  );
  assert.ok(!sections.some((s) => s.text.includes('©')));
});

test('markdown and plain text become sections too', () => {
  const md = extractMarkdown('# Payment\n\nWe take **Visa** and [PayPal](https://paypal.example).\n\n## Klarna\n\nPay in four.\n');
  assert.equal(md.title, 'Payment');
  assert.deepEqual(md.sections, [
    { heading: '', text: 'We take Visa and PayPal.' },
    { heading: 'Klarna', text: 'Pay in four.' },
  ]);
  const txt = extractText('Store hours\n\nOpen 9 to 5.');
  assert.equal(txt.title, 'Store hours');
  assert.equal(txt.sections.length, 1);
});
