// A workspace's HubSpot settings: which pipeline and stages stand for our statuses, which custom properties carry
// our ids. Defaults fit HubSpot's default ticket pipeline ("0": New, Waiting on contact, Waiting on us, Closed).
import { z } from 'zod';
import type { HelpdeskConfig, TicketStatus } from '../types.ts';
import { badSettings } from '../shared/errors.ts';
import { TICKET_STATUSES } from '../shared/text.ts';

const DEFAULT_STAGES: Record<TicketStatus, string> = { new: '1', open: '3', pending: '2', solved: '4', closed: '4' };
const stageId = z.union([z.string().min(1), z.number().int()]).transform(String);

const schema = z.object({
  pipeline: stageId.default('0'),
  stages: z.object({ new: stageId, open: stageId, pending: stageId, solved: stageId, closed: stageId }).partial().default({}),
  externalIdProperty: z.string().min(1).default('threadline_external_id'),
  customerIdProperty: z.string().min(1).default('threadline_customer_id'),
  /** Set when externalIdProperty is a unique-value property: then a ticket is read by it, which is consistent at once (search lags). */
  externalIdIsUnique: z.boolean().default(false),
});

export interface HubSpotSettings extends Omit<z.infer<typeof schema>, 'stages'> {
  stages: Record<TicketStatus, string>;
}

export function hubspotSettings(config: HelpdeskConfig): HubSpotSettings {
  const r = schema.safeParse(config.settings);
  if (!r.success) throw badSettings('HubSpot', r.error.message);
  return { ...r.data, stages: { ...DEFAULT_STAGES, ...r.data.stages } };
}

/** The status a stage stands for; where several share a stage (solved and closed), the later, firmer one wins. */
export function statusForStage(settings: HubSpotSettings, stage: string): TicketStatus | undefined {
  let found: TicketStatus | undefined;
  for (const status of TICKET_STATUSES) if (settings.stages[status] === stage) found = status;
  return found;
}
