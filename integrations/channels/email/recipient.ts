// The first recipient read straight from the raw header block: routing must be synchronous and happen
// before the (slower, async) full parse, which only runs once the request has been authenticated.
import { parseAddressHeader } from 'mailparser';

/** Header fields never need more than this; a body is not scanned for a blank line forever. */
const maxHeaderBytes = 256 * 1024;

function headerBlock(raw: Buffer): string {
  const head = raw.subarray(0, maxHeaderBytes).toString('utf8');
  const end = head.search(/\r?\n\r?\n/);
  return end < 0 ? head : head.slice(0, end);
}

function headerValues(block: string, name: string): string[] {
  const unfolded = block.replace(/\r?\n(?=[ \t])/g, '');
  const prefix = `${name.toLowerCase()}:`;
  return unfolded
    .split(/\r?\n/)
    .filter((line) => line.toLowerCase().startsWith(prefix))
    .map((line) => line.slice(prefix.length));
}

export function firstRecipient(raw: Buffer): string | undefined {
  const block = headerBlock(raw);
  for (const name of ['to', 'cc']) {
    const parsed = parseAddressHeader(headerValues(block, name), { flatten: true });
    const address = parsed.value.find((a) => a.address)?.address;
    if (address) return address;
  }
  return undefined;
}
