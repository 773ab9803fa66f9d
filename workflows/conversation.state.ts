// The conversation's compact state: plain logic, owned by the workflow, carried across continue-as-new.
import type { Channel, ConversationState, InboundMessage, Mode, TranscriptEntry } from './conversation.messages.ts';

export interface CarriedState {
  mode: Mode;
  lastChannel: Channel | null;
  channels: Channel[];
  seq: number;
  /** Recent inbound message ids, oldest first, each with the id of the bot reply it got (or null). */
  recent: [string, string | null][];
  history: TranscriptEntry[];
  abstainStreak: number;
  runs: number;
  /** Stored, not yet answered (inside a burst window when the run continued as new). */
  pending: InboundMessage[];
  /** Last reply address per channel, so later replies (an agent's) reach the customer where they are. */
  addresses: Partial<Record<Channel, Record<string, string>>>;
  /** Workflow time (ms) when WhatsApp's customer-service window closes; 0 when never opened. */
  whatsappWindowEndsAt: number;
  handoff: HandoffState;
}

export interface TicketState {
  helpdesk: 'local' | 'zendesk' | 'hubspot' | 'salesforce';
  id: string;
  externalId: string;
  url?: string;
}

export interface HandoffState {
  /** Handoffs so far: the n-th one's ticket has external id threadline:<workflow id>:<n>. */
  seq: number;
  ticket: TicketState | null;
  /** Workflow time (ms) when the first-response SLA runs out; 0 when no agent reply is awaited. */
  slaEndsAt: number;
  /** The bot's last answer offered a person: a short "yes" accepts. */
  offered: boolean;
  /** Agent message ids already delivered (a redelivered help-desk webhook changes nothing). */
  agentMessageIds: string[];
}

export const HISTORY_WINDOW = 20;

export function initialState(): CarriedState {
  return {
    mode: 'bot',
    lastChannel: null,
    channels: [],
    seq: 0,
    recent: [],
    history: [],
    abstainStreak: 0,
    runs: 0,
    pending: [],
    addresses: {},
    whatsappWindowEndsAt: 0,
    handoff: { seq: 0, ticket: null, slaEndsAt: 0, offered: false, agentMessageIds: [] },
  };
}

export class ConversationStateMachine {
  private readonly recent: Map<string, string | null>;
  private readonly s: CarriedState;

  constructor(
    carried: CarriedState,
    private readonly maxRecent: number,
  ) {
    const fresh = initialState();
    this.s = {
      ...fresh,
      ...carried,
      channels: [...carried.channels],
      history: [...carried.history],
      pending: [...(carried.pending ?? [])],
      handoff: { ...fresh.handoff, ...carried.handoff, agentMessageIds: [...(carried.handoff?.agentMessageIds ?? [])] },
    };
    this.recent = new Map(carried.recent);
  }

  get mode(): Mode {
    return this.s.mode;
  }

  seen(messageId: string): boolean {
    return this.recent.has(messageId);
  }

  replyFor(messageId: string): string | null {
    return this.recent.get(messageId) ?? null;
  }

  /** Marks an inbound id as seen, forgetting the oldest beyond the bound. */
  remember(messageId: string, replyId: string | null = null): void {
    this.recent.delete(messageId);
    this.recent.set(messageId, replyId);
    while (this.recent.size > this.maxRecent) {
      const oldest = this.recent.keys().next().value;
      if (oldest === undefined) break;
      this.recent.delete(oldest);
    }
  }

  get seq(): number {
    return this.s.seq;
  }

  nextSeq(): number {
    this.s.seq += 1;
    return this.s.seq;
  }

  noteChannel(channel: Channel): void {
    this.s.lastChannel = channel;
    if (!this.s.channels.includes(channel)) this.s.channels.push(channel);
  }

  append(entry: TranscriptEntry): void {
    this.s.history.push(entry);
    if (this.s.history.length > HISTORY_WINDOW) this.s.history.splice(0, this.s.history.length - HISTORY_WINDOW);
  }

  noteAnswer(abstained: boolean): void {
    this.s.abstainStreak = abstained ? this.s.abstainStreak + 1 : 0;
  }

  get pending(): InboundMessage[] {
    return this.s.pending;
  }

  takePending(): InboundMessage[] {
    return this.s.pending.splice(0);
  }

  noteAddress(channel: Channel, address: Record<string, string> | undefined): void {
    if (address) this.s.addresses = { ...this.s.addresses, [channel]: address };
  }

  addressFor(channel: Channel): Record<string, string> | undefined {
    return this.s.addresses[channel];
  }

  get lastChannel(): Channel | null {
    return this.s.lastChannel;
  }

  get whatsappWindowEndsAt(): number {
    return this.s.whatsappWindowEndsAt;
  }

  set whatsappWindowEndsAt(ms: number) {
    this.s.whatsappWindowEndsAt = ms;
  }

  /** Takes over another conversation's state in a merge: its channels and addresses, and its handoff if this one has none. */
  absorb(other: { mode: Mode; ticket: TicketState | null; lastChannel: Channel | null; addresses: Partial<Record<Channel, Record<string, string>>> }, seqUsed: number, recent: TranscriptEntry[]): void {
    this.s.seq += seqUsed;
    this.s.addresses = { ...other.addresses, ...this.s.addresses };
    for (const c of Object.keys(other.addresses) as Channel[]) if (!this.s.channels.includes(c)) this.s.channels.push(c);
    if (!this.s.lastChannel && other.lastChannel) this.s.lastChannel = other.lastChannel;
    if (this.s.mode === 'bot' && other.ticket && (other.mode === 'agent' || other.mode === 'handoff_pending')) {
      this.s.mode = other.mode;
      this.s.handoff = { ...this.s.handoff, ticket: other.ticket };
    }
    this.s.history = [...recent, ...this.s.history].sort((a, b) => a.at.localeCompare(b.at)).slice(-HISTORY_WINDOW);
  }

  get handoff(): HandoffState {
    return this.s.handoff;
  }

  /** Remembers an agent message id (bounded); false when it was seen before. */
  rememberAgentMessage(id: string): boolean {
    const ids = this.s.handoff.agentMessageIds;
    if (ids.includes(id)) return false;
    ids.push(id);
    if (ids.length > 200) ids.splice(0, ids.length - 200);
    return true;
  }

  setMode(mode: Mode): void {
    this.s.mode = mode;
  }

  transcript(): TranscriptEntry[] {
    return [...this.s.history];
  }

  snapshot(workspaceId: string, customerId: string, now = 0): ConversationState {
    return {
      workspaceId,
      customerId,
      mode: this.s.mode,
      lastChannel: this.s.lastChannel,
      channels: [...this.s.channels],
      seq: this.s.seq,
      recentMessageIds: this.recent.size,
      abstainStreak: this.s.abstainStreak,
      runs: this.s.runs,
      pendingMessages: this.s.pending.length,
      whatsappWindowOpen: this.s.whatsappWindowEndsAt > now,
      ticket: this.s.handoff.ticket,
      handoffs: this.s.handoff.seq,
      awaitingAgent: this.s.handoff.slaEndsAt > 0,
      addresses: { ...this.s.addresses },
    };
  }

  carry(): CarriedState {
    return {
      ...this.s,
      channels: [...this.s.channels],
      history: [...this.s.history],
      pending: [...this.s.pending],
      handoff: { ...this.s.handoff, agentMessageIds: [...this.s.handoff.agentMessageIds] },
      recent: [...this.recent.entries()],
      runs: this.s.runs + 1,
    };
  }
}
