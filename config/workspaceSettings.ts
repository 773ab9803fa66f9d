// A workspace's own settings (help desk, handoff rules, business hours), with the defaults a new workspace gets.
import { z } from 'zod';
import { DEFAULT_HANDOFF_KEYWORDS } from '../workflows/handoff.rules.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

export const workspaceSettingsSchema = z
  .object({
    helpdesk: z.enum(['local', 'zendesk', 'hubspot', 'salesforce']).default('local'),
    handoff: z
      .object({
        keywords: z.array(z.string().min(2).max(40)).max(100).default(DEFAULT_HANDOFF_KEYWORDS),
        /** No agent reply within this long: the customer gets one update and the ticket's priority goes up. */
        firstResponseSlaSeconds: z.number().int().min(1).max(30 * 86_400).default(4 * 3600),
        /** A customer message after the ticket was solved: reopen it, or open a new ticket. */
        afterSolved: z.enum(['reopen', 'new_ticket']).default('reopen'),
      })
      .strict()
      .prefault({}),
    businessHours: z
      .object({
        timezone: z.string().refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', 'unknown time zone').default('UTC'),
        days: z.array(z.number().int().min(0).max(6)).max(7).default([1, 2, 3, 4, 5]),
        start: hhmm.default('09:00'),
        end: hhmm.default('17:00'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

export function workspaceSettings(raw: unknown): WorkspaceSettings {
  const parsed = workspaceSettingsSchema.safeParse(raw ?? {});
  // Stored settings were validated when written; a bad stored value falls back to the defaults rather than failing a turn.
  return parsed.success ? parsed.data : workspaceSettingsSchema.parse({});
}
