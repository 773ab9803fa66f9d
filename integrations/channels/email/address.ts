// Reply addresses carry an opaque token (chosen by the caller, mapped to a conversation) in the local part:
// reply+<token>@<domain>. The charset is restricted so the address survives every MTA unquoted and unchanged.
const tokenPattern = /^[A-Za-z0-9_-]{1,58}$/; // 64-octet local part minus "reply+"

export function isReplyToken(token: string): boolean {
  return tokenPattern.test(token);
}

export function replyAddress(token: string, domain: string): string {
  if (!isReplyToken(token)) throw new Error('reply token must be 1–58 characters of A-Z a-z 0-9 _ -');
  if (!/^[a-z0-9.-]+$/i.test(domain)) throw new Error(`invalid reply domain: ${domain}`);
  return `reply+${token}@${domain.toLowerCase()}`;
}

/** The first reply+<token> address at our domain among the recipients; the domain and "reply" compare case-insensitively. */
export function tokenFromAddresses(addresses: string[], domain: string): string | undefined {
  const wanted = domain.toLowerCase();
  for (const address of addresses) {
    const at = address.lastIndexOf('@');
    if (at < 0 || address.slice(at + 1).toLowerCase() !== wanted) continue;
    const local = address.slice(0, at);
    if (!local.toLowerCase().startsWith('reply+')) continue;
    const token = local.slice('reply+'.length);
    if (isReplyToken(token)) return token;
  }
  return undefined;
}
