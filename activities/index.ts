import type { Connection } from 'mongoose';
import type { Logger } from '../config/logger.ts';
import type { ChannelName, ChannelSender } from '../integrations/channels/types.ts';
import type { HelpdeskAdapter, HelpdeskName } from '../integrations/helpdesk/types.ts';
import type { AnswerProvider, Embedder, VectorStore } from '../integrations/types.ts';
import type { Models } from '../models/index.ts';
import { createAnswerActivities } from './answer.ts';
import { createDeliveryActivities } from './delivery.ts';
import { createHelpdeskActivities } from './helpdesk.ts';
import { createKnowledgeActivities } from './knowledge.ts';
import { createMessageActivities } from './messages.ts';
import { createRetrievalActivities } from './retrieval.ts';

export interface ActivityDeps {
  conn: Connection;
  models: Models;
  vectorStore: VectorStore;
  embedder: Embedder;
  answerer: AnswerProvider;
  log: Logger;
  senders: Partial<Record<ChannelName, ChannelSender>>;
  helpdesks: Partial<Record<HelpdeskName, HelpdeskAdapter>>;
}

/** Every activity, built once in the worker with its clients injected. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createMessageActivities(deps),
    ...createRetrievalActivities(deps),
    ...createAnswerActivities(deps),
    ...createKnowledgeActivities(deps),
    ...createDeliveryActivities(deps),
    ...createHelpdeskActivities(deps),
  };
}
export type Activities = ReturnType<typeof createActivities>;
