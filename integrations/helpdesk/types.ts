// The help-desk contract: a customer becomes a requester, a handoff becomes a ticket found or created by an external
// id, messages become comments, and the vendor's webhook becomes agent replies and status changes.
// Adding a help desk touches its folder under integrations/helpdesk/<name>/ and one line in integrations/registry.ts.

export type HelpdeskName = 'local' | 'zendesk' | 'hubspot' | 'salesforce';
export type TicketStatus = 'new' | 'open' | 'pending' | 'solved' | 'closed';
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';

/** A help desk connected to a workspace: base URL, credentials and vendor settings (pipeline ids, field names). */
export interface HelpdeskConfig {
  workspaceId: string;
  helpdesk: HelpdeskName;
  /** What the vendor's webhook carries to find this workspace (Zendesk subdomain, HubSpot portal id, Salesforce org id). */
  routingKey: string;
  baseUrl?: string;
  credentials: Record<string, string>;
  settings: Record<string, unknown>;
}

export interface Requester {
  /** Threadline's customer id, kept on the vendor record where it allows (external id). */
  customerId: string;
  name?: string;
  email?: string;
  phone?: string;
}

export interface TicketRef {
  helpdesk: HelpdeskName;
  /** The vendor's ticket / case id. */
  id: string;
  /** `threadline:<workflow id>:<handoff number>` */
  externalId: string;
  url?: string;
}

export interface NewTicket {
  externalId: string;
  subject: string;
  requester: Requester;
  /** The vendor id of the requester, from ensureRequester. */
  requesterId: string;
  channel: string;
  priority: TicketPriority;
  /** Internal note: summary and the whole transcript. */
  transcript: string;
  summary: string;
}

export interface HelpdeskComment {
  /** Threadline's message id: the key that makes adding a comment idempotent where the vendor allows it. */
  messageId: string;
  body: string;
  /** Public comments are seen by the customer in the vendor's UI; internal notes never leave the help desk. */
  public: boolean;
  authorName?: string;
}

/** What a verified help-desk webhook says happened. */
export type HelpdeskEvent =
  | { type: 'agent_reply'; ticketId: string; externalId?: string; commentId: string; body: string; public: boolean; agentName?: string }
  | { type: 'status'; ticketId: string; externalId?: string; status: TicketStatus };

export interface RawHelpdeskWebhook {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
  query: Record<string, string>;
}

export type HelpdeskVerifyResult = { ok: true } | { ok: false; status: 401 | 403; reason: string };

export interface HelpdeskAdapter {
  readonly name: HelpdeskName;
  ensureRequester(config: HelpdeskConfig, requester: Requester): Promise<{ requesterId: string }>;
  /** Finds the ticket with this external id or creates it: calling it twice never makes two tickets. */
  findOrCreateTicket(config: HelpdeskConfig, ticket: NewTicket): Promise<TicketRef & { created: boolean }>;
  /** Adds a comment; a comment already added for this messageId (where the vendor can tell) is not added again. */
  addComment(config: HelpdeskConfig, ticket: TicketRef, comment: HelpdeskComment): Promise<{ commentId: string; duplicate: boolean }>;
  setStatus(config: HelpdeskConfig, ticket: TicketRef, status: TicketStatus): Promise<void>;
  setPriority(config: HelpdeskConfig, ticket: TicketRef, priority: TicketPriority): Promise<void>;
}

export interface HelpdeskWebhookAdapter {
  readonly name: HelpdeskName;
  routingKey(req: RawHelpdeskWebhook): string | undefined;
  verify(req: RawHelpdeskWebhook, config: HelpdeskConfig, now: Date): HelpdeskVerifyResult;
  parse(req: RawHelpdeskWebhook, config: HelpdeskConfig): HelpdeskEvent[];
  /** What the vendor expects back (Salesforce wants a SOAP Ack). */
  ack(): { status: number; contentType: string; body: string };
}
