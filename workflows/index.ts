export * from './conversation.ts';
export * from './ingest.ts';
