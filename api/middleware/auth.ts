import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Scope } from '../../models/apiKey.ts';
import type { Models } from '../../models/index.ts';
import { forbidden, unauthorized } from '../errors.ts';
import { sha256 } from '../keys.ts';

export interface ApiAuth {
  workspaceId: string;
  scopes: Scope[];
  instanceAdmin: boolean;
}

declare module 'express-serve-static-core' {
  interface Request {
    auth?: ApiAuth;
  }
}

export function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

/** Authenticates an API key and requires one scope (instance admin keys may only hold 'admin'). */
export function requireKey(models: Models, scope: Scope): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const token = bearer(req);
    if (!token) return next(unauthorized('an API key is required: Authorization: Bearer <key>'));
    const key = await models.ApiKey.findById(sha256(token)).lean();
    if (!key) return next(unauthorized('unknown API key'));
    if (!key.scopes.includes(scope)) return next(forbidden(`this key lacks the '${scope}' scope`));
    req.auth = { workspaceId: key.workspaceId, scopes: key.scopes, instanceAdmin: key.workspaceId === '*' };
    next();
  };
}

export function auth(req: Request): ApiAuth {
  if (!req.auth) throw unauthorized();
  return req.auth;
}
