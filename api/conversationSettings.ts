import type { Env } from '../config/env.ts';
import type { ConversationSettings } from '../workflows/conversation.ts';

export function conversationSettings(env: Env): ConversationSettings {
  return {
    continueAsNewEvents: env.CONTINUE_AS_NEW_EVENTS,
    recentMessageIds: env.RECENT_MESSAGE_IDS,
    retrievalK: env.RETRIEVAL_K,
    // The offline answerer is quick enough for local activities; a remote LLM call is not.
    localActivities: !env.OPENAI_API_KEY,
    burstWindowMs: env.BURST_WINDOW_MS,
    whatsappWindowMs: env.WHATSAPP_WINDOW_SECONDS * 1000,
    helpdeskTaskQueue: env.HELPDESK_TASK_QUEUE,
    helpdeskTimeoutMs: env.HELPDESK_ACTIVITY_TIMEOUT_SECONDS * 1000,
  };
}
