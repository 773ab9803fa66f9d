// The parts of Zendesk's responses the adapter relies on, checked before use.
import { z } from 'zod';
import { unexpectedResponse } from '../shared/errors.ts';

export const userSchema = z.object({ id: z.number().int(), external_id: z.string().nullish() });

export const ticketSchema = z.object({
  id: z.number().int(),
  external_id: z.string().nullish(),
  status: z.string(),
  priority: z.string().nullish(),
});

/** Ticket create/update answers `{ticket, audit}`; the audit's Comment event is the comment just added. */
export const ticketUpdateSchema = z.object({
  ticket: ticketSchema,
  audit: z.object({ id: z.number().int(), events: z.array(z.object({ id: z.number().int(), type: z.string() })) }),
});

export function parseZendesk<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw unexpectedResponse('Zendesk', what, r.error.message);
  return r.data;
}
