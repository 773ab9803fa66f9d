import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { badRequest } from '../errors.ts';

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`).join('; ');
}

/** Parses the JSON body with a (strict) schema; the parsed value replaces req.body. */
export function validateBody<S extends z.ZodType>(schema: S): RequestHandler {
  return (req, _res, next) => {
    const parsed = schema.safeParse(req.body ?? undefined);
    if (!parsed.success) return next(badRequest('invalid_body', describe(parsed.error), parsed.error.issues));
    req.body = parsed.data;
    next();
  };
}

export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.infer<S> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw badRequest('invalid_query', describe(parsed.error), parsed.error.issues);
  return parsed.data;
}
