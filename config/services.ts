// Builds every client once per process from the parsed environment; activities and routes get them injected.
import { Client, Connection } from '@temporalio/client';
import mongoose, { type Connection as MongoConnection } from 'mongoose';
import { createAnswerer } from '../integrations/llm/index.ts';
import { createEmbedder } from '../integrations/embeddings/index.ts';
import { ChromaVectorStore } from '../integrations/vectorstore/chroma.ts';
import { createHelpdesks, createSenders } from '../integrations/registry.ts';
import type { HelpdeskAdapter, HelpdeskName } from '../integrations/helpdesk/types.ts';
import type { ChannelName, ChannelSender } from '../integrations/channels/types.ts';
import type { AnswerProvider, Embedder, VectorStore } from '../integrations/types.ts';
import { createModels, syncIndexes, type Models } from '../models/index.ts';
import { knowledgeModels } from '../models/knowledgeModels.ts';
import type { Env } from './env.ts';
import type { Logger } from './logger.ts';

export interface Services {
  env: Env;
  log: Logger;
  conn: MongoConnection;
  models: Models;
  knowledge: ReturnType<typeof knowledgeModels>;
  temporal: Client;
  temporalConnection: Connection;
  embedder: Embedder;
  vectorStore: VectorStore;
  answerer: AnswerProvider;
  senders: Partial<Record<ChannelName, ChannelSender>>;
  helpdesks: Partial<Record<HelpdeskName, HelpdeskAdapter>>;
  close(): Promise<void>;
}

export function requireAddresses(env: Env): { temporalAddress: string; mongoUri: string; chromaUrl: string } {
  const missing = (['TEMPORAL_ADDRESS', 'MONGODB_URI', 'CHROMA_URL'] as const).filter((k) => !env[k]);
  if (missing.length) throw new Error(`Missing ${missing.join(', ')} (npm start sets them when it starts its own servers)`);
  return { temporalAddress: env.TEMPORAL_ADDRESS!, mongoUri: env.MONGODB_URI!, chromaUrl: env.CHROMA_URL! };
}

export async function connectServices(env: Env, log: Logger): Promise<Services> {
  const { temporalAddress, mongoUri, chromaUrl } = requireAddresses(env);
  const conn = await mongoose.createConnection(mongoUri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
  const models = createModels(conn);
  const knowledge = knowledgeModels(conn);
  await syncIndexes(models);
  for (const m of Object.values(knowledge)) await m.createIndexes();
  const temporalConnection = await Connection.connect({ address: temporalAddress });
  const temporal = new Client({ connection: temporalConnection, namespace: env.TEMPORAL_NAMESPACE });
  const embedder = createEmbedder(env);
  const vectorStore = new ChromaVectorStore({ url: chromaUrl, embedderName: embedder.name, dimensions: embedder.dimensions });
  const answerer = createAnswerer(env);
  return {
    env,
    log,
    conn,
    models,
    knowledge,
    temporal,
    temporalConnection,
    embedder,
    vectorStore,
    answerer,
    senders: createSenders(env),
    helpdesks: createHelpdesks(models),
    async close() {
      await temporalConnection.close();
      await conn.close();
    },
  };
}
