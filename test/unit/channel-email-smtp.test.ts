import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import nodemailer from 'nodemailer';
import { format } from '../../integrations/channels/email/format.ts';
import { EmailSender, messageIdFor } from '../../integrations/channels/email/sender.ts';
import { startSmtpListener, type SmtpEnvelope } from '../../integrations/channels/email/smtp.ts';
import { parseEmail } from '../../integrations/channels/email/parse.ts';
import type { ChannelConfig } from '../../integrations/channels/types.ts';
import { IntegrationError } from '../../integrations/types.ts';
import { startSmtpEmulator, type SmtpEmulator } from '../emulators/smtp/index.ts';

const config: ChannelConfig = {
  workspaceId: 'acme',
  channel: 'email',
  routingKey: 'acme.test',
  credentials: { fromAddress: 'support@acme.test', fromName: 'Acme Support' },
  settings: {},
};
const thread = {
  to: 'jane.doe@example.com',
  subject: 'Re: Refund for order #1234',
  inReplyTo: '<CAJ+new123@mail.gmail.com>',
  references: '<CAJ+orig000@mail.gmail.com> <CAJ+new123@mail.gmail.com>',
  replyTo: 'reply+c_8f3kQ2@acme.test',
};

let sink: SmtpEmulator;
let sender: EmailSender;
before(async () => {
  sink = await startSmtpEmulator();
  sender = new EmailSender({ host: sink.host, port: sink.port });
});
after(async () => {
  sender.close();
  await sink.close();
});
beforeEach(() => sink.reset());

const reply = () => format({ text: 'Use **Forgot password**.', citations: [{ title: 'Reset your password', url: 'https://help.acme.test/reset' }] });
const failsWith = (check: (e: IntegrationError) => boolean) => (err: unknown) => err instanceof IntegrationError && check(err);

test('a reply reaches the relay with thread headers, a reply+token Reply-To and both alternatives', async () => {
  const result = await sender.send(config, thread, reply(), { idempotencyKey: 'conv-1.turn-3' });
  assert.deepEqual(result, { vendorMessageId: '<threadline.conv-1.turn-3@acme.test>', status: 'sent' });
  assert.equal(sink.received.length, 1);
  const { envelope, parsed, raw } = sink.received[0]!;
  assert.deepEqual(envelope, { from: 'support@acme.test', to: ['jane.doe@example.com'] });
  assert.equal(parsed.messageId, '<threadline.conv-1.turn-3@acme.test>');
  assert.equal(parsed.inReplyTo, '<CAJ+new123@mail.gmail.com>');
  assert.deepEqual(parsed.references, ['<CAJ+orig000@mail.gmail.com>', '<CAJ+new123@mail.gmail.com>']);
  assert.equal(parsed.subject, 'Re: Refund for order #1234');
  assert.deepEqual(parsed.from?.value, [{ address: 'support@acme.test', name: 'Acme Support' }]);
  assert.deepEqual(parsed.replyTo?.value, [{ address: 'reply+c_8f3kQ2@acme.test', name: '' }]);
  assert.match(raw.toString(), /Content-Type: multipart\/alternative/i);
  assert.match(parsed.text ?? '', /Use Forgot password\.\n\nSources:\n- Reset your password — https:\/\/help\.acme\.test\/reset/);
  assert.match(String(parsed.html), /<strong>Forgot password<\/strong>/);
});

test('a retried send carries the same Message-ID; keys that are not msg-id text are hashed', async () => {
  await sender.send(config, thread, reply(), { idempotencyKey: 'wf:conv-1/act:7' });
  await sender.send(config, thread, reply(), { idempotencyKey: 'wf:conv-1/act:7' });
  const [first, second] = sink.received.map((r) => r.parsed.messageId);
  assert.equal(first, second);
  assert.match(first ?? '', /^<threadline\.h\.[0-9a-f]{40}@acme\.test>$/);
  assert.notEqual(messageIdFor('wf:conv-1/act:7', 'acme.test'), messageIdFor('wf:conv-1/act:8', 'acme.test'));
});

test('a 451 from the relay is retryable, a 550 is not', async () => {
  sink.failNext(1, { code: 451 });
  await assert.rejects(sender.send(config, thread, reply(), { idempotencyKey: 'k1' }), failsWith((e) => e.retryable && e.status === 451));
  sink.failNext(1, { code: 550 });
  await assert.rejects(sender.send(config, thread, reply(), { idempotencyKey: 'k2' }), failsWith((e) => !e.retryable && e.status === 550 && e.type === 'invalid_request'));
  await sender.send(config, thread, reply(), { idempotencyKey: 'k3' });
  assert.equal(sink.received.length, 1);
});

test('an unreachable relay is a retryable failure; a channel without a from address is not', async () => {
  const gone = await startSmtpEmulator();
  await gone.close();
  const offline = new EmailSender({ host: '127.0.0.1', port: gone.port });
  await assert.rejects(offline.send(config, thread, reply(), { idempotencyKey: 'k' }), failsWith((e) => e.retryable && e.type === 'unavailable'));
  offline.close();
  await assert.rejects(sender.send({ ...config, credentials: {} }, thread, reply(), { idempotencyKey: 'k' }), failsWith((e) => !e.retryable));
});

test('the SMTP listener hands a message sent with nodemailer to onMessage, raw and with its envelope', async () => {
  const got: { raw: Buffer; envelope: SmtpEnvelope }[] = [];
  const listener = await startSmtpListener({ onMessage: async (raw, envelope) => void got.push({ raw, envelope }) });
  const client = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false });
  try {
    await client.sendMail({ from: 'Jane <jane.doe@example.com>', to: 'reply+c_8f3kQ2@acme.test', subject: 'Hello', text: 'My order is late.', messageId: '<m1@example.com>' });
    assert.equal(got.length, 1);
    assert.deepEqual(got[0]!.envelope, { from: 'jane.doe@example.com', to: ['reply+c_8f3kQ2@acme.test'] });
    const mail = await parseEmail(got[0]!.raw);
    assert.equal(mail.messageId, '<m1@example.com>');
    assert.equal(mail.text.trim(), 'My order is late.');
  } finally {
    client.close();
    await listener.close();
  }
});

test('the listener answers 451 when onMessage fails retryably, 550 when not, 552 when too large', async () => {
  let failure: Error = new IntegrationError('unavailable', 'Temporal is down');
  const listener = await startSmtpListener({ maxSize: 2048, onMessage: async () => Promise.reject(failure) });
  const client = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false });
  const send = (text = 'hi') => client.sendMail({ from: 'a@example.com', to: 'support@acme.test', subject: 's', text });
  const code = (expected: number) => (err: unknown) => (err as { responseCode?: number }).responseCode === expected;
  try {
    await assert.rejects(send(), code(451));
    failure = new Error('a bug');
    await assert.rejects(send(), code(451));
    failure = new IntegrationError('invalid_request', 'no such mailbox');
    await assert.rejects(send(), code(550));
    await assert.rejects(send('x'.repeat(4096)), code(552));
  } finally {
    client.close();
    await listener.close();
  }
});
