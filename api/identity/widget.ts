// Who a widget visitor is: a signed identity (userHash or JWT from the site's backend) is verified; anything else is a claim.
import { jwtVerify } from 'jose';
import type { Identifier, IdentifierKind } from '../../models/customer.ts';
import type { Models } from '../../models/index.ts';
import type { WorkspaceDoc } from '../../models/workspace.ts';
import { hmacHex, safeEqualHex } from '../keys.ts';
import { normalizeEmail, normalizePhone } from './normalize.ts';
import { createCustomer, ownerOfVerified, type VerifiedIdentifier } from './verified.ts';

export interface WidgetIdentityInput {
  identity?: { userId: string; email?: string; name?: string };
  userHash?: string;
  identityToken?: string;
  sessionId?: string;
}

export interface ResolvedIdentity {
  customerId: string;
  verified: boolean;
  /** Identifiers the signed identity proved besides the user id (JWT email/phone): to link, merging if need be. */
  proven: VerifiedIdentifier[];
  /** A verified user who signed in from a browser that had an anonymous customer: that one joins the user. */
  joins?: string;
  /** Why a signed identity was not accepted, for the session response. */
  reason?: string;
}

interface Claim {
  kind: IdentifierKind;
  value: string;
  verified: boolean;
}

async function verifiedClaims(ws: WorkspaceDoc, input: WidgetIdentityInput): Promise<{ claims: Claim[]; verified: boolean; reason?: string; name?: string }> {
  const claims: Claim[] = [];
  if (input.identityToken) {
    try {
      const { payload } = await jwtVerify(input.identityToken, new TextEncoder().encode(ws.widgetSecret), { algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || !payload.sub) return { claims, verified: false, reason: 'identity token has no sub' };
      claims.push({ kind: 'widget_user', value: payload.sub, verified: true });
      const email = typeof payload.email === 'string' ? normalizeEmail(payload.email) : undefined;
      const phone = typeof payload.phone === 'string' ? normalizePhone(payload.phone) : undefined;
      if (email) claims.push({ kind: 'email', value: email, verified: true });
      if (phone) claims.push({ kind: 'phone', value: phone, verified: true });
      return { claims, verified: true, ...(typeof payload.name === 'string' ? { name: payload.name } : {}) };
    } catch (e) {
      return { claims, verified: false, reason: `identity token rejected: ${(e as Error).message}` };
    }
  }
  if (input.identity) {
    const ok = !!input.userHash && safeEqualHex(hmacHex(ws.widgetSecret, input.identity.userId), input.userHash.toLowerCase());
    if (!ok) return { claims, verified: false, reason: input.userHash ? 'userHash does not match' : 'identity without userHash is not verified' };
    claims.push({ kind: 'widget_user', value: input.identity.userId, verified: true });
    // An email beside a userHash was not signed: a claim only.
    const claimed = input.identity.email ? normalizeEmail(input.identity.email) : undefined;
    if (claimed) claims.push({ kind: 'email', value: claimed, verified: false });
    return { claims, verified: true, ...(input.identity.name ? { name: input.identity.name } : {}) };
  }
  return { claims, verified: false };
}

function identifier(c: Claim, now: Date): Identifier {
  return { kind: c.kind, value: c.value, verified: c.verified, source: 'widget', firstSeen: now, lastSeen: now };
}

/** Finds or creates the customer for a widget session. Only a verified widget user id finds an existing customer. */
export async function resolveWidgetIdentity(models: Models, ws: WorkspaceDoc, input: WidgetIdentityInput, sessionCustomerId?: string): Promise<ResolvedIdentity> {
  const now = new Date();
  const { claims, reason, name } = await verifiedClaims(ws, input);
  const user = claims.find((c) => c.kind === 'widget_user' && c.verified);
  if (!user) {
    const customerId = sessionCustomerId ?? (await createCustomer(models, ws._id, name));
    return { customerId, verified: false, proven: [], ...(reason ? { reason } : {}) };
  }
  // First sign-in: the same browser's anonymous customer becomes the user.
  const { customerId, created } = await ownerOfVerified(models, ws._id, { kind: 'widget_user', value: user.value, source: 'widget', ...(name ? { name } : {}) }, sessionCustomerId);
  const unverified = claims.filter((c) => !c.verified);
  if (created && unverified.length) {
    await models.Customer.updateOne({ _id: customerId, workspaceId: ws._id }, { $push: { identifiers: { $each: unverified.map((c) => identifier(c, now)) } } });
  }
  const proven = claims.filter((c) => c.verified && c !== user).map((c) => ({ kind: c.kind, value: c.value, source: 'widget' }));
  const joins = sessionCustomerId && sessionCustomerId !== customerId ? { joins: sessionCustomerId } : {};
  return { customerId, verified: true, proven, ...joins };
}
