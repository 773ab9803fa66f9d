import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_HANDOFF_KEYWORDS, acceptsOffer, handoffReason } from '../../workflows/handoff.rules.ts';

const keywords = ['refund', 'cancel', 'legal'];
const defaults = DEFAULT_HANDOFF_KEYWORDS;
const fixture = join(process.cwd(), '..', 'shared', 'fixtures', 'demo-site');

describe('handoff rules', () => {
  it('recognizes requests for a person in many words', () => {
    for (const t of ['I want to talk to a human', 'Can I speak to a real person please?', 'get me an agent', 'connect me with someone from your team', 'agent please', "I don't want a bot"]) {
      assert.equal(handoffReason(t, keywords), 'asked_for_human', t);
    }
  });

  it('matches workspace keywords and account-specific problems', () => {
    assert.equal(handoffReason('I want to cancel my membership', keywords), 'keyword');
    assert.equal(handoffReason('This is a legal matter', keywords), 'keyword');
    assert.equal(handoffReason('My tent arrived torn, order 88213', []), 'account_specific');
  });

  it('leaves every help-center question to the bot with the default keywords', () => {
    const questions = JSON.parse(readFileSync(join(fixture, 'questions.json'), 'utf8')) as { question: string }[];
    for (const q of questions) assert.equal(handoffReason(q.question, defaults), undefined, q.question);
  });

  it('hands off every message of handoff.json but the one the help center cannot answer (the bot offers a person there)', () => {
    const cases = JSON.parse(readFileSync(join(fixture, 'handoff.json'), 'utf8')) as { message: string; why: string }[];
    for (const c of cases) {
      const reason = handoffReason(c.message, defaults);
      if (/no answer in the knowledge base/.test(c.why)) assert.equal(reason, undefined, c.message);
      else assert.ok(reason, c.message);
    }
  });

  it('reads a short yes as accepting an offer, and nothing longer', () => {
    for (const t of ['yes', 'Yes please', 'ok', 'sure!']) assert.ok(acceptsOffer(t), t);
    for (const t of ['yes, how long does shipping take?', 'no', 'maybe later']) assert.ok(!acceptsOffer(t), t);
  });
});
