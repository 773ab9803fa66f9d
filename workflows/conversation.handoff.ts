// The human side of a conversation: handing off to the help desk, agent mode, the first-response SLA, solve and reopen.
import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import type { WorkspaceSettings } from '../config/workspaceSettings.ts';
import type { Channel, InboundMessage, Mode, TranscriptEntry } from './conversation.messages.ts';
import type { ConversationStateMachine } from './conversation.state.ts';
import { DeadlineTimer } from './deadlineTimer.ts';
import type { HandoffReason } from './handoff.rules.ts';
import { workflowNow } from './time.ts';

export interface HandoffContext {
  workspaceId: string;
  customerId: string;
  conversationId: string;
  state: ConversationStateMachine;
  settings: () => WorkspaceSettings;
  helpdeskTaskQueue: string;
  /** How long one help-desk call may take before it counts as lost (a worker died) and is retried. */
  helpdeskTimeoutMs: number;
  remote: Pick<Activities, 'recordMessages' | 'handoffNotice'>;
  /** Stores a bot or system message and delivers it on the customer's channel. */
  say: (author: 'bot' | 'system', messageId: string, text: string) => Promise<TranscriptEntry>;
  deliver: (messageId: string, channel: Channel, reply: { text: string; citations: { title: string; url: string }[] }) => void;
  setMode: (mode: Mode) => void;
  tagTicket: (helpdesk: string, ticketId: string) => void;
  /** Runs work from a timer in turn with the handlers, tracked so continue-as-new waits for it. */
  background: (fn: () => Promise<void>) => void;
}

export function createHandoff(ctx: HandoffContext) {
  const { state, workspaceId, customerId, conversationId } = ctx;
  const h = state.handoff;
  // Help-desk calls run on their own task queue per vendor, where the worker caps the rate.
  const desk = (name: string) =>
    proxyActivities<Activities>({
      taskQueue: `${ctx.helpdeskTaskQueue}.${name}`,
      startToCloseTimeout: ctx.helpdeskTimeoutMs,
      retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m', maximumAttempts: 20 },
    });
  const ticketDesk = () => desk(h.ticket!.helpdesk);

  const sla = new DeadlineTimer(() => ctx.background(onSlaExpired));
  if (h.slaEndsAt > 0) sla.extend(h.slaEndsAt - workflowNow());

  async function guarded(what: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      // Validation errors from the help desk do not retry: ops see the failure in the history and in the transcript.
      const reason = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
      await ctx.say('system', `system:helpdesk:${what}:${state.nextSeq()}`, `Help desk: ${what} failed: ${reason}`);
    }
  }

  /** Hands the conversation to a person; returns what the customer was told. */
  async function start(reason: HandoffReason | string): Promise<TranscriptEntry | undefined> {
    if (state.mode === 'handoff_pending' || state.mode === 'agent') return undefined;
    h.seq += 1;
    h.offered = false;
    ctx.setMode('handoff_pending');
    const notice = await ctx.remote.handoffNotice({ workspaceId });
    const told = await ctx.say('bot', `handoff:${h.seq}:notice`, notice.text);
    // The ticket is made after this turn (the customer's reply does not wait on the help desk's rate limit);
    // messages meanwhile queue behind it and go to the ticket.
    const seq = h.seq;
    ctx.background(() =>
      guarded('creating the ticket', async () => {
        const ticket = await desk(notice.helpdesk).openTicket({ workspaceId, conversationId, customerId, handoffSeq: seq, channel: state.lastChannel ?? 'web', reason });
        h.ticket = ticket;
        ctx.tagTicket(ticket.helpdesk, ticket.id);
        ctx.setMode('agent');
        h.slaEndsAt = workflowNow() + notice.slaMs;
        sla.extend(notice.slaMs);
      }),
    );
    return told;
  }

  async function onSlaExpired(): Promise<void> {
    if (h.slaEndsAt === 0 || !h.ticket || state.mode !== 'agent') return;
    h.slaEndsAt = 0; // one update per handoff
    await ctx.say('bot', `handoff:${h.seq}:sla`, "Thanks for your patience: our team hasn't replied yet, so we've raised the priority of your request. You'll hear from us here.");
    await guarded('raising the priority', () => ticketDesk().setTicketPriority({ workspaceId, ticket: h.ticket!, priority: 'high' }));
  }

  /** A customer message while a person handles the conversation: it goes to the ticket, the bot stays silent. */
  async function onCustomerMessage(msg: InboundMessage): Promise<void> {
    if (!h.ticket) return;
    if (state.mode === 'resolved') {
      if (ctx.settings().handoff.afterSolved === 'new_ticket') {
        h.ticket = null;
        ctx.setMode('bot');
        await start('reopened_after_solved');
        return;
      }
      ctx.setMode('agent');
      await guarded('reopening the ticket', () => ticketDesk().setTicketStatus({ workspaceId, ticket: h.ticket!, status: 'open' }));
    }
    await guarded('adding the message to the ticket', () =>
      ticketDesk().addTicketComment({ workspaceId, conversationId, ticket: h.ticket!, messageId: msg.messageId, body: msg.text, public: true, authorName: 'Customer' }),
    );
  }

  /** An agent's public reply: stored, delivered where the customer is, and the SLA stops. */
  async function onAgentMessage(m: { messageId: string; text: string; at: string }): Promise<TranscriptEntry | undefined> {
    if (!state.rememberAgentMessage(m.messageId)) return undefined;
    h.slaEndsAt = 0;
    sla.cancel();
    const channel = state.lastChannel ?? 'web';
    const e: TranscriptEntry = { seq: state.nextSeq(), messageId: m.messageId, author: 'agent', channel, text: m.text, at: m.at };
    state.append(e);
    await ctx.remote.recordMessages({ messages: [{ conversationId, workspaceId, customerId, ...e }], mode: state.mode });
    ctx.deliver(e.messageId, channel, { text: m.text, citations: [] });
    return e;
  }

  async function onStatus(status: string): Promise<void> {
    if (!h.ticket) return;
    if ((status === 'solved' || status === 'closed') && state.mode !== 'resolved') {
      h.slaEndsAt = 0;
      sla.cancel();
      ctx.setMode('resolved');
      await ctx.say('bot', `handoff:${h.seq}:solved:${state.nextSeq()}`, "Our team has marked your request as solved. If there's anything else, just reply here.");
    }
  }

  return { start, onCustomerMessage, onAgentMessage, onStatus };
}
