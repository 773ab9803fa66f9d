import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConversationStateMachine, HISTORY_WINDOW, initialState } from '../../workflows/conversation.state.ts';
import { Lock } from '../../workflows/lock.ts';

describe('conversation state', () => {
  it('remembers a bounded set of message ids, forgetting the oldest', () => {
    const s = new ConversationStateMachine(initialState(), 3);
    for (const id of ['a', 'b', 'c', 'd']) s.remember(id);
    assert.equal(s.seen('a'), false);
    assert.equal(s.seen('d'), true);
    s.remember('b', 'bot:b');
    assert.equal(s.replyFor('b'), 'bot:b');
  });

  it('carries ids, sequence, mode and history across continue-as-new', () => {
    const s = new ConversationStateMachine(initialState(), 10);
    s.remember('web:1', 'bot:web:1');
    s.nextSeq();
    s.nextSeq();
    s.noteChannel('web');
    s.noteChannel('sms');
    s.setMode('agent');
    s.append({ seq: 1, messageId: 'web:1', author: 'customer', channel: 'web', text: 'hi', at: '2026-01-01T00:00:00Z' });
    const next = new ConversationStateMachine(s.carry(), 10);
    assert.equal(next.seen('web:1'), true);
    assert.equal(next.replyFor('web:1'), 'bot:web:1');
    assert.equal(next.nextSeq(), 3);
    assert.equal(next.mode, 'agent');
    const snap = next.snapshot('w', 'c');
    assert.deepEqual(snap.channels, ['web', 'sms']);
    assert.equal(snap.lastChannel, 'sms');
    assert.equal(snap.runs, 1);
    assert.equal(next.transcript().length, 1);
  });

  it('keeps only the recent history window for the bot context', () => {
    const s = new ConversationStateMachine(initialState(), 10);
    for (let i = 1; i <= HISTORY_WINDOW + 5; i++) s.append({ seq: i, messageId: `m${i}`, author: 'customer', channel: 'web', text: String(i), at: '' });
    const t = s.transcript();
    assert.equal(t.length, HISTORY_WINDOW);
    assert.equal(t[0]!.seq, 6);
  });

  it('counts abstentions in a row', () => {
    const s = new ConversationStateMachine(initialState(), 10);
    s.noteAnswer(true);
    s.noteAnswer(true);
    assert.equal(s.snapshot('w', 'c').abstainStreak, 2);
    s.noteAnswer(false);
    assert.equal(s.snapshot('w', 'c').abstainStreak, 0);
  });
});

describe('lock', () => {
  it('runs tasks one at a time in arrival order, even when one fails', async () => {
    const lock = new Lock();
    const order: string[] = [];
    const slow = lock.run(async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('a');
    });
    const failing = lock.run(async () => {
      order.push('b');
      throw new Error('boom');
    });
    const fast = lock.run(async () => order.push('c'));
    await slow;
    await assert.rejects(failing, /boom/);
    await fast;
    assert.deepEqual(order, ['a', 'b', 'c']);
  });
});
