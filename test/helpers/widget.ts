import assert from 'node:assert/strict';
import { http } from './app.ts';

export interface WidgetReply {
  conversationId: string;
  mode: string;
  reply?: { messageId: string; text: string; citations: { title: string; url: string }[] };
}

export interface HistoryMessage {
  messageId: string;
  author: string;
  channel: string;
  text: string;
  at: string;
}

export async function newSession(baseUrl: string, workspace: string, extra: Record<string, unknown> = {}) {
  const r = await http<{ sessionId: string; token: string; customerId: string; verified: boolean }>(baseUrl, 'POST', '/v1/widget/sessions', { body: { workspace, ...extra } });
  assert.ok(r.status === 201 || r.status === 200, JSON.stringify(r.body));
  return r.body;
}

export async function ask(baseUrl: string, token: string, text: string, clientMessageId: string): Promise<WidgetReply> {
  const r = await http<WidgetReply>(baseUrl, 'POST', '/v1/widget/messages', { token, body: { text, clientMessageId } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

export async function history(baseUrl: string, token: string): Promise<HistoryMessage[]> {
  const r = await http<{ messages: HistoryMessage[] }>(baseUrl, 'GET', '/v1/widget/history', { token });
  assert.equal(r.status, 200);
  return r.body.messages;
}
