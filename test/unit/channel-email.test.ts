import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { replyAddress, tokenFromAddresses } from '../../integrations/channels/email/address.ts';
import { format } from '../../integrations/channels/email/format.ts';
import { parseEmail } from '../../integrations/channels/email/parse.ts';
import { newText } from '../../integrations/channels/email/reply.ts';
import { replySubject } from '../../integrations/channels/email/subject.ts';
import { emailWebhook } from '../../integrations/channels/email/webhook.ts';
import type { ChannelConfig, InboundMessageEvent, RawWebhook } from '../../integrations/channels/types.ts';

// MIME as mail clients write it: CRLF line ends, folded headers, nested multiparts.
const mime = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));
const invoice = Buffer.from('%PDF-1.4 pretend invoice '.repeat(20));

const gmailReply = mime(`Authentication-Results: mx.acme.test;
       dkim=pass header.i=@example.com header.s=20230601 header.b=abc123;
       spf=pass (mx.acme.test: domain of jane.doe@example.com designates 192.0.2.1 as permitted sender) smtp.mailfrom=jane.doe@example.com;
       dmarc=pass (p=NONE) header.from=example.com
Received: from mail-sor-f41.google.com by mx.acme.test; Tue, 04 Mar 2025 09:20:01 +0000
From: Jane Doe <Jane.Doe@Example.com>
To: Acme Support <reply+c_8f3kQ2@acme.test>
Cc: bob@example.com
Subject: Re: Refund for order #1234
Message-ID: <CAJ+new123@mail.gmail.com>
In-Reply-To: <threadline.turn-1@acme.test>
References: <CAJ+orig000@mail.gmail.com>
 <threadline.turn-1@acme.test>
Date: Tue, 04 Mar 2025 10:20:00 +0100
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed"

--mixed
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

Thanks, that fixed it!
Could you also send the invoice again?

--=20
Jane Doe | Example Corp

On Tue, Mar 4, 2025 at 10:15 AM Acme Support <support@acme.test> wrote:
> Hi Jane,
>
> Try resetting your password from the login page.
>

--alt
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">Thanks, that fixed it!<br>Could you also send the invoice again?</div>
--alt--

--mixed
Content-Type: application/pdf; name="invoice.pdf"
Content-Disposition: attachment; filename="invoice.pdf"
Content-Transfer-Encoding: base64

${invoice.toString('base64').replace(/.{76}/g, '$&\n')}
--mixed--
`);

const htmlOnlyReply = mime(`From: "Jane Doe" <jane.doe@example.com>
To: support@Acme.Test
Subject: RE: Re: Refund
Date: Tue, 04 Mar 2025 10:20:00 +0100
MIME-Version: 1.0
Content-Type: multipart/related; boundary="rel"

--rel
Content-Type: text/html; charset="UTF-8"

<div dir="ltr"><p>Still <b>broken</b>, see <a href="https://example.com/shot">this screenshot</a>:</p><img src="cid:shot@local"><div>Jane</div></div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, Mar 4, 2025 at 10:15 AM Acme Support &lt;support@acme.test&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">Hi Jane,<br>Try resetting your password.</blockquote></div>
--rel
Content-Type: image/png; name="shot.png"
Content-ID: <shot@local>
Content-Disposition: inline; filename="shot.png"
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==
--rel--
`);

const config: ChannelConfig = {
  workspaceId: 'acme',
  channel: 'email',
  routingKey: 'acme.test',
  credentials: { inboundSecret: 's3cret-inbound', fromAddress: 'Acme Support <support@acme.test>' },
  settings: {},
};

const webhook = (rawBody: Buffer, authorization?: string): RawWebhook => ({
  method: 'POST',
  url: 'https://hub.example/v1/channels/email/inbound',
  headers: { 'content-type': 'message/rfc822', ...(authorization ? { authorization } : {}) },
  rawBody,
  query: {},
});

test('a Gmail reply: addresses, threading headers, attachment metadata and the DKIM verdict', async () => {
  const mail = await parseEmail(gmailReply);
  assert.deepEqual(mail.from, { address: 'jane.doe@example.com', name: 'Jane Doe' });
  assert.deepEqual(mail.to, ['reply+c_8f3kQ2@acme.test']);
  assert.deepEqual(mail.cc, ['bob@example.com']);
  assert.equal(mail.subject, 'Re: Refund for order #1234');
  assert.equal(mail.messageId, '<CAJ+new123@mail.gmail.com>');
  assert.equal(mail.inReplyTo, '<threadline.turn-1@acme.test>');
  assert.deepEqual(mail.references, ['<CAJ+orig000@mail.gmail.com>', '<threadline.turn-1@acme.test>']);
  assert.equal(mail.date?.toISOString(), '2025-03-04T09:20:00.000Z');
  assert.deepEqual(mail.attachments, [{ filename: 'invoice.pdf', contentType: 'application/pdf', size: invoice.length }]);
  assert.equal(mail.dkim, 'pass');
  assert.equal(mail.autoSubmitted, false);
});

test('the new text drops the quoted history and the "-- " signature', async () => {
  const mail = await parseEmail(gmailReply);
  assert.equal(newText(mail.text), 'Thanks, that fixed it!\nCould you also send the invoice again?');
});

test('an HTML-only reply is converted to text and its blockquoted history cut', async () => {
  const mail = await parseEmail(htmlOnlyReply);
  assert.equal(newText(mail.text), 'Still broken, see this screenshot [https://example.com/shot]:\n\nJane');
  assert.deepEqual(mail.attachments, [{ filename: 'shot.png', contentType: 'image/png', size: 70, contentId: 'shot@local' }]);
  assert.equal(mail.messageId, undefined);
  assert.equal(mail.dkim, 'none');
});

test('Outlook "From: … Sent: …" headers and "> " quotes end the new text', () => {
  const outlook = 'Sounds good, go ahead.\r\n\r\n________________________________\r\nFrom: Acme Support <support@acme.test>\r\nSent: Tuesday, March 4, 2025 10:15 AM\r\nTo: Jane <jane@example.com>\r\nSubject: Re: Refund\r\n\r\nHi Jane, earlier text\r\n';
  assert.equal(newText(outlook), 'Sounds good, go ahead.');
  assert.equal(newText('I agree.\n> earlier line\n> another\n'), 'I agree.');
  assert.equal(newText('Yes please.\n\nSent from my iPhone\n'), 'Yes please.');
});

test('DKIM: only our MTA\'s Authentication-Results count, and a failure for the From domain is a fail', async () => {
  const withResults = (...lines: string[]) => mime(`${lines.join('\n')}\nFrom: a@example.com\nTo: support@acme.test\nSubject: x\n\nhello\n`);
  assert.equal((await parseEmail(withResults('Authentication-Results: mx.acme.test; dkim=fail (bad signature) header.d=example.com'))).dkim, 'fail');
  // A forged header further down (added before the message reached us) is not believed.
  const forged = withResults('Authentication-Results: mx.acme.test; dkim=none', 'Authentication-Results: mx.acme.test; dkim=pass header.d=example.com');
  assert.equal((await parseEmail(forged)).dkim, 'none');
  // A pass for some other domain says nothing about the sender.
  assert.equal((await parseEmail(withResults('Authentication-Results: mx.acme.test; dkim=pass header.d=mailer.test'))).dkim, 'none');
  const picked = withResults('Authentication-Results: other.test; dkim=fail header.d=example.com', 'Authentication-Results: mx.acme.test; dkim=pass header.d=example.com');
  assert.equal((await parseEmail(picked, { authServId: 'mx.acme.test' })).dkim, 'pass');
});

test('auto-replies are flagged so nobody answers them', async () => {
  const ooo = mime('From: a@example.com\nTo: support@acme.test\nSubject: Out of office\nAuto-Submitted: auto-replied\n\nI am away.\n');
  assert.equal((await parseEmail(ooo)).autoSubmitted, true);
});

test('reply tokens round-trip through the reply address, and bad tokens are refused', () => {
  const address = replyAddress('c_8f3kQ2', 'Acme.Test');
  assert.equal(address, 'reply+c_8f3kQ2@acme.test');
  assert.equal(tokenFromAddresses(['support@acme.test', 'Reply+c_8f3kQ2@ACME.test'], 'acme.test'), 'c_8f3kQ2');
  assert.equal(tokenFromAddresses(['reply+c_8f3kQ2@other.test'], 'acme.test'), undefined);
  assert.equal(tokenFromAddresses(['reply+a%40b@acme.test', 'reply+@acme.test'], 'acme.test'), undefined);
  assert.throws(() => replyAddress('has space', 'acme.test'));
  assert.throws(() => replyAddress('x'.repeat(59), 'acme.test'));
  assert.throws(() => replyAddress('ok', 'acme.test>'));
});

test('reply subjects carry exactly one "Re:"', () => {
  assert.equal(replySubject('Refund'), 'Re: Refund');
  assert.equal(replySubject('RE: Re: AW: Refund'), 'Re: Refund');
  assert.equal(replySubject('Re[2]: Refund'), 'Re: Refund');
  assert.equal(replySubject(''), 'Re:');
});

test('the webhook checks the bearer secret and routes by the first recipient\'s domain', () => {
  assert.equal(emailWebhook.routingKey(webhook(gmailReply)), 'acme.test');
  assert.equal(emailWebhook.routingKey(webhook(htmlOnlyReply)), 'acme.test');
  assert.deepEqual(emailWebhook.verify(webhook(gmailReply, 'Bearer s3cret-inbound'), config, new Date()), { ok: true });
  assert.equal(emailWebhook.verify(webhook(gmailReply, 'Bearer wrong'), config, new Date()).ok, false);
  assert.equal(emailWebhook.verify(webhook(gmailReply), config, new Date()).ok, false);
  assert.equal(emailWebhook.verify(webhook(gmailReply, 'Bearer s3cret-inbound'), { ...config, credentials: {} }, new Date()).ok, false);
});

test('the webhook turns a reply into one message event with threading and a reply address', async () => {
  const events = await emailWebhook.parseAsync!(webhook(gmailReply, 'Bearer s3cret-inbound'), config);
  assert.equal(events.length, 1);
  const event = events[0] as InboundMessageEvent;
  assert.equal(event.channel, 'email');
  assert.equal(event.vendorMessageId, '<CAJ+new123@mail.gmail.com>');
  assert.deepEqual(event.sender, { kind: 'email', value: 'jane.doe@example.com', name: 'Jane Doe' });
  assert.equal(event.text, 'Thanks, that fixed it!\nCould you also send the invoice again?');
  assert.deepEqual(event.attachments, [{ ref: 'part:0', contentType: 'application/pdf', size: invoice.length, filename: 'invoice.pdf' }]);
  assert.equal(event.at, '2025-03-04T09:20:00.000Z');
  assert.deepEqual(event.thread, { inReplyTo: ['<threadline.turn-1@acme.test>', '<CAJ+orig000@mail.gmail.com>'], replyToken: 'c_8f3kQ2' });
  assert.deepEqual(event.replyAddress, {
    to: 'jane.doe@example.com',
    subject: 'Re: Refund for order #1234',
    inReplyTo: '<CAJ+new123@mail.gmail.com>',
    references: '<CAJ+orig000@mail.gmail.com> <threadline.turn-1@acme.test> <CAJ+new123@mail.gmail.com>',
  });
  assert.deepEqual(event.meta, { dkim: 'pass', subject: 'Re: Refund for order #1234', autoSubmitted: false });
});

test('a message without a Message-ID is identified by the hash of its bytes', async () => {
  const [event] = (await emailWebhook.parseAsync!(webhook(htmlOnlyReply), config)) as InboundMessageEvent[];
  assert.equal(event?.vendorMessageId, `sha256:${createHash('sha256').update(htmlOnlyReply).digest('hex')}`);
  assert.equal(event?.replyAddress.subject, 'Re: Refund');
  assert.equal(event?.replyAddress.inReplyTo, undefined);
  assert.deepEqual(event?.thread, {});
});

test('format renders markdown to sanitized HTML and a plain-text alternative, both with sources', () => {
  const out = format(
    {
      text: '## Resetting\n\nUse **Forgot password** on the [login page](https://acme.test/login).\n\n- step one\n- step `two`\n\n<script>alert(1)</script><img src="https://tracker.test/p.gif">',
      citations: [
        { title: 'Reset your password', url: 'https://help.acme.test/reset' },
        { title: 'Sneaky', url: 'javascript:alert(1)' },
      ],
    },
    { subject: 'Your question' },
  );
  assert.equal(out.subject, 'Your question');
  assert.match(out.html, /<h2>Resetting<\/h2>/);
  assert.match(out.html, /<strong>Forgot password<\/strong>/);
  assert.match(out.html, /<a href="https:\/\/acme\.test\/login">login page<\/a>/);
  assert.match(out.html, /<p>Sources:<\/p><ul><li><a href="https:\/\/help\.acme\.test\/reset">Reset your password<\/a><\/li><\/ul>/);
  assert.doesNotMatch(out.html, /<script|<img|javascript:|Sneaky/);
  assert.match(out.text, /Use Forgot password on the login page \[https:\/\/acme\.test\/login\]\./);
  assert.match(out.text, /Sources:\n- Reset your password — https:\/\/help\.acme\.test\/reset$/);
  assert.doesNotMatch(out.text, /\*\*|##|`|\]\(|<script|Sneaky/);
});
