// Routes a normalized inbound message to its conversation workflow: update-with-start, deduped by message id.
import { ServiceError, WithStartWorkflowOperation, WorkflowUpdateFailedError, WorkflowUpdateStage } from '@temporalio/client';
import type { Services } from '../config/services.ts';
import { conversationWorkflow, searchAttributes } from '../workflows/conversation.ts';
import { conversationId, inboundMessageUpdate, type Channel, type TurnResult } from '../workflows/conversation.messages.ts';
import { conversationSettings } from './conversationSettings.ts';
import { ApiError } from './errors.ts';

export interface InboundRequest {
  workspaceId: string;
  customerId: string;
  channel: Channel;
  /** The channel's own id for the message (a webhook's message id, the widget's clientMessageId). */
  channelMessageId: string;
  text: string;
  replyAddress?: Record<string, string>;
  attachments?: { ref: string; contentType?: string; filename?: string; size?: number }[];
}

export type InboundOutcome = ({ pending: false } & TurnResult) | { pending: true; conversationId: string };

const ACCEPT_TIMEOUT_MS = 15_000;
const RESULT_TIMEOUT_MS = 30_000;

function within<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<typeof TIMEOUT>((r) => (timer = setTimeout(() => r(TIMEOUT), ms)))]).finally(() => clearTimeout(timer));
}
const TIMEOUT = Symbol('timeout');

export async function sendInbound(services: Services, req: InboundRequest, taskQueue = services.env.TEMPORAL_TASK_QUEUE): Promise<InboundOutcome> {
  const workflowId = conversationId(req.workspaceId, req.customerId);
  const messageId = `${req.channel}:${req.channelMessageId}`;
  const start = new WithStartWorkflowOperation(conversationWorkflow, {
    workflowId,
    taskQueue,
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [{ workspaceId: req.workspaceId, customerId: req.customerId, settings: conversationSettings(services.env) }],
    typedSearchAttributes: [
      { key: searchAttributes.workspace, value: req.workspaceId },
      { key: searchAttributes.channel, value: req.channel },
      { key: searchAttributes.mode, value: 'bot' },
    ],
  });
  const accepted = within(
    services.temporal.workflow.startUpdateWithStart(inboundMessageUpdate, {
      updateId: messageId,
      args: [
        {
          messageId,
          channel: req.channel,
          customerId: req.customerId,
          text: req.text,
          at: new Date().toISOString(),
          ...(req.replyAddress ? { replyAddress: req.replyAddress } : {}),
          ...(req.attachments?.length ? { attachments: req.attachments } : {}),
        },
      ],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
      startWorkflowOperation: start,
    }),
    ACCEPT_TIMEOUT_MS,
  );
  const handle = await accepted.catch((err: unknown) => {
    // The workflow's validator refused it (the API validates first, so this is rare): the caller's fault.
    if (err instanceof WorkflowUpdateFailedError) throw new ApiError(400, 'message_rejected', String((err.cause as Error | undefined)?.message ?? err.message));
    if (err instanceof ServiceError) throw new ApiError(503, 'unavailable', 'the workflow service is unavailable; retry with the same message id');
    throw err;
  });
  if (handle === TIMEOUT) {
    // Not accepted means not recorded: the caller must retry with the same message id (deduped).
    throw new ApiError(503, 'not_accepted', 'the conversation did not accept the message in time; retry with the same message id');
  }
  const result = await within(handle.result(), RESULT_TIMEOUT_MS);
  if (result === TIMEOUT) return { pending: true, conversationId: workflowId };
  return { pending: false, ...result };
}
