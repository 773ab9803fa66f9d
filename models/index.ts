import type { Connection } from 'mongoose';
import { apiKeyModel } from './apiKey.ts';
import { channelConfigModel } from './channelConfig.ts';
import { conversationModel } from './conversation.ts';
import { customerModel } from './customer.ts';
import { helpdeskConfigModel } from './helpdeskConfig.ts';
import { identifierOwnerModel } from './identifier.ts';
import { localTicketModel } from './localTicket.ts';
import { mergeLockModel } from './mergeLock.ts';
import { messageModel } from './message.ts';
import { outboxModel } from './outbox.ts';
import { replyTokenModel } from './replyToken.ts';
import { ticketLinkModel } from './ticket.ts';
import { widgetSessionModel } from './widgetSession.ts';
import { workspaceModel } from './workspace.ts';

/** All models bound to one connection (never the global mongoose connection). */
export function createModels(conn: Connection) {
  return {
    Workspace: workspaceModel(conn),
    ApiKey: apiKeyModel(conn),
    Customer: customerModel(conn),
    IdentifierOwner: identifierOwnerModel(conn),
    WidgetSession: widgetSessionModel(conn),
    Message: messageModel(conn),
    Conversation: conversationModel(conn),
    ChannelConfig: channelConfigModel(conn),
    Outbox: outboxModel(conn),
    ReplyToken: replyTokenModel(conn),
    HelpdeskConfig: helpdeskConfigModel(conn),
    TicketLink: ticketLinkModel(conn),
    LocalTicket: localTicketModel(conn),
    MergeLock: mergeLockModel(conn),
  };
}
export type Models = ReturnType<typeof createModels>;

export async function syncIndexes(models: Models): Promise<void> {
  for (const m of Object.values(models)) await m.createIndexes();
}
