// The DKIM verdict for the From domain, read from an Authentication-Results header (RFC 8601).
// We do not verify signatures ourselves: the receiving MTA (or the inbound provider) already did, and says so here.

export type DkimVerdict = 'pass' | 'fail' | 'none';

interface DkimResult {
  result: string;
  domain: string | undefined;
}

/** Comments may nest and hold semicolons, so they go before the header is split into results. */
function stripComments(value: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && i + 1 < value.length) {
      if (depth === 0) out += ch + value[i + 1];
      i++;
      continue;
    }
    if (ch === '"' && depth === 0) quoted = !quoted;
    if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')' && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

function dkimResults(header: string): DkimResult[] {
  const [, ...resinfos] = stripComments(header).split(';');
  const results: DkimResult[] = [];
  for (const resinfo of resinfos) {
    const method = /^\s*dkim\s*=\s*([a-z]+)/i.exec(resinfo);
    if (!method?.[1]) continue;
    // header.d is the signing domain; older MTAs only give header.i (the agent, "@domain" or "user@domain").
    const d = /\bheader\.d\s*=\s*"?([^\s";]+)/i.exec(resinfo)?.[1];
    const i = /\bheader\.i\s*=\s*"?([^\s";]+)/i.exec(resinfo)?.[1];
    const domain = d ?? i?.slice(i.lastIndexOf('@') + 1);
    results.push({ result: method[1].toLowerCase(), domain: domain?.toLowerCase() });
  }
  return results;
}

/** Relaxed alignment (DMARC): a signature by the organisational parent of the From domain counts too. */
function aligned(signer: string, fromDomain: string): boolean {
  return fromDomain === signer || fromDomain.endsWith(`.${signer}`);
}

/**
 * Only the first header is read unless an authserv-id is given: it is the one our own receiving
 * MTA prepended, while anything below it came with the message and may be forged by the sender.
 */
export function dkimVerdict(headers: string[], fromDomain: string | undefined, authServId?: string): DkimVerdict {
  if (!fromDomain) return 'none';
  const trusted = authServId
    ? headers.filter((h) => stripComments(h).split(';')[0]?.trim().split(/\s+/)[0]?.toLowerCase() === authServId.toLowerCase())
    : headers.slice(0, 1);
  const forFrom = trusted.flatMap(dkimResults).filter((r) => r.domain !== undefined && aligned(r.domain, fromDomain.toLowerCase()));
  if (forFrom.some((r) => r.result === 'pass')) return 'pass';
  if (forFrom.some((r) => r.result !== 'none')) return 'fail';
  return 'none';
}
