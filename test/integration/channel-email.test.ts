// Email end to end: a mail in over SMTP (and the raw-MIME webhook), an HTML + text answer out through the relay,
// threaded by headers; a reply to the bot's mail continues the same conversation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import nodemailer from 'nodemailer';
import { freePort } from '../../scripts/stack/processes.ts';
import type { TestApp } from '../helpers/app.ts';
import { connectChannel, eventually, post, startKnowledgeApp } from '../helpers/channels.ts';
import { startSmtpEmulator, type SmtpEmulator } from '../emulators/smtp/index.ts';

const DOMAIN = 'support.acme.test';

describe('email', () => {
  let t: TestApp;
  let relay: SmtpEmulator;
  let inboundPort: number;

  before(async () => {
    relay = await startSmtpEmulator();
    inboundPort = await freePort();
    t = await startKnowledgeApp({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(relay.port), SMTP_LISTEN_PORT: String(inboundPort) });
    await connectChannel(t, 'email', { routingKey: DOMAIN, credentials: { inboundSecret: 'inbound-secret', fromAddress: `Acme Support <help@${DOMAIN}>` } });
  });
  after(async () => {
    await t?.stop();
    await relay?.close();
  });

  const mailTo = (addr: string) => relay.received.filter((m) => m.envelope.to.includes(addr));

  it('answers a mail received over SMTP, threaded, with HTML and plain text', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: inboundPort, secure: false, ignoreTLS: true });
    await transport.sendMail({
      from: 'Ada Lovelace <ada@example.com>',
      to: `help@${DOMAIN}`,
      subject: 'Returns',
      messageId: '<first.1@example.com>',
      text: 'Hello,\n\nHow many days do I have to return something?\n\nThanks,\nAda',
    });
    const [answer] = await eventually('the reply mail', () => (mailTo('ada@example.com').length ? mailTo('ada@example.com') : undefined));
    const p = answer!.parsed;
    assert.equal(p.inReplyTo, '<first.1@example.com>');
    assert.ok(String(p.references ?? '').includes('<first.1@example.com>'));
    assert.match(p.subject ?? '', /^Re: Returns$/);
    assert.ok(p.messageId, 'a Message-ID of our own');
    assert.match(p.text ?? '', /60 days/);
    assert.match(String(p.html), /60 days/);
    assert.ok(!(p.text ?? '').includes('**'));
    const replyTo = p.replyTo?.value[0]?.address ?? '';
    assert.match(replyTo, new RegExp(`^reply\\+[A-Za-z0-9_-]+@${DOMAIN.replace(/\./g, '\\.')}$`));

    // The customer answers from another address, quoting the bot: the reply address and headers thread it.
    await transport.sendMail({
      from: 'Ada <ada.personal@example.org>',
      to: replyTo,
      subject: 'Re: Returns',
      messageId: '<second.2@example.org>',
      inReplyTo: p.messageId,
      references: ['<first.1@example.com>', p.messageId!],
      text: `And how long until I get my refund?\n\nOn Mon, 23 Nov 2026 at 10:00, Acme Support <help@${DOMAIN}> wrote:\n> ${(p.text ?? '').split('\n')[0]}\n`,
    });
    await eventually('the second reply', () => mailTo('ada.personal@example.org').length === 1);
    const convs = await t.app.services.models.Conversation.find({ workspaceId: t.workspaceId, channels: 'email' }).lean();
    assert.equal(convs.length, 1, 'one conversation for the thread');
    const messages = await t.app.services.models.Message.find({ conversationId: convs[0]!._id }).sort({ seq: 1 }).lean();
    assert.deepEqual(messages.map((m) => m.author), ['customer', 'bot', 'customer', 'bot']);
    assert.equal(messages[2]!.text.trim(), 'And how long until I get my refund?', 'quoted history stripped');
    transport.close();
  });

  it('accepts raw MIME on the inbound webhook with the bearer secret, and refuses it without', async () => {
    const mime = [
      'From: Grace <grace@example.net>',
      `To: help@${DOMAIN}`,
      'Subject: Gift cards',
      'Message-ID: <gift.1@example.net>',
      'Date: Tue, 24 Nov 2026 09:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Do gift cards expire?',
      '',
    ].join('\r\n');
    const refused = await post(t, '/v1/channels/email/inbound', mime, { 'content-type': 'message/rfc822', authorization: 'Bearer wrong' });
    assert.ok([401, 403].includes(refused.status));
    const ok = await post(t, '/v1/channels/email/inbound', mime, { 'content-type': 'message/rfc822', authorization: 'Bearer inbound-secret' });
    assert.equal(ok.status, 200, ok.text);
    await eventually('the reply to Grace', () => mailTo('grace@example.net').length === 1);
  });
});
