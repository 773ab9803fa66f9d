import type { Connection } from 'mongoose';
import { knowledgePageModel } from './knowledgePage.ts';
import { knowledgeSourceModel } from './knowledgeSource.ts';

/** Knowledge-base models bound to one connection (never the global mongoose connection). */
export function knowledgeModels(conn: Connection) {
  return {
    KnowledgeSource: knowledgeSourceModel(conn),
    KnowledgePage: knowledgePageModel(conn),
  };
}
export type KnowledgeModels = ReturnType<typeof knowledgeModels>;
