// POST /v1/helpdesk/salesforce/outbound: outbound messages on CaseComment (an agent's published comment is a
// reply for the customer) and on Case (its Status). Outbound messages carry no signature: the org id in the
// envelope must be the workspace's, and the endpoint URL holds a shared secret (?secret=…; a proxy may instead
// send the x-threadline-secret header).
import type { HelpdeskConfig, HelpdeskEvent, HelpdeskWebhookAdapter, RawHelpdeskWebhook } from '../types.ts';
import { safeEqual } from '../shared/signature.ts';
import { OUTBOUND_ACK, parseOutboundMessage, type OutboundNotification } from './outbound.ts';
import { salesforceSettings, sameSalesforceId, statusForCaseStatus, type SalesforceSettings } from './settings.ts';

function commentEvent(n: OutboundNotification, settings: SalesforceSettings): HelpdeskEvent | undefined {
  const { Id, ParentId, CommentBody, IsPublished, CreatedById } = n.fields;
  // Unpublished comments are internal notes; comments our own integration user wrote are echoes of ours.
  if (IsPublished !== 'true' || !Id || !ParentId || !CommentBody) return undefined;
  if (settings.integrationUserId && CreatedById && sameSalesforceId(CreatedById, settings.integrationUserId)) return undefined;
  const agentName = n.fields['CreatedBy.Name'];
  return { type: 'agent_reply', ticketId: ParentId, commentId: Id, body: CommentBody, public: true, ...(agentName ? { agentName } : {}) };
}

function caseEvent(n: OutboundNotification, settings: SalesforceSettings): HelpdeskEvent | undefined {
  const status = n.fields.Status ? statusForCaseStatus(settings, n.fields.Status) : undefined;
  if (!status || !n.fields.Id) return undefined;
  const externalId = n.fields[settings.caseExternalIdField];
  return { type: 'status', ticketId: n.fields.Id, ...(externalId ? { externalId } : {}), status };
}

function organizationId(req: RawHelpdeskWebhook): string | undefined {
  try {
    return parseOutboundMessage(req.rawBody).organizationId;
  } catch {
    return undefined;
  }
}

export const salesforceWebhook: HelpdeskWebhookAdapter = {
  name: 'salesforce',

  routingKey: organizationId,

  verify(req, config: HelpdeskConfig) {
    const secret = config.credentials.outboundSecret;
    if (!secret) return { ok: false, status: 401, reason: 'no Salesforce outbound message secret configured' };
    const given = req.query.secret ?? req.headers['x-threadline-secret'];
    if (!given) return { ok: false, status: 401, reason: 'missing outbound message secret' };
    if (!safeEqual(given, secret)) return { ok: false, status: 401, reason: 'bad outbound message secret' };
    const org = organizationId(req);
    if (!org || !sameSalesforceId(org, config.routingKey)) return { ok: false, status: 403, reason: "OrganizationId is not the workspace's org" };
    return { ok: true };
  },

  parse(req, config) {
    const settings = salesforceSettings(config);
    const events: HelpdeskEvent[] = [];
    for (const n of parseOutboundMessage(req.rawBody).notifications) {
      const event = n.type === 'CaseComment' ? commentEvent(n, settings) : n.type === 'Case' ? caseEvent(n, settings) : undefined;
      if (event) events.push(event);
    }
    return events;
  },

  ack: () => ({ status: 200, contentType: 'text/xml; charset=utf-8', body: OUTBOUND_ACK }),
};
