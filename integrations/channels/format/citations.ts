// Citations as a reader sees them: once per URL, and not repeated when the answer already links there.
import type { Citation } from '../../types.ts';

/** URLs as they appear in rendered text, without the sentence punctuation that may follow them. */
function urlsIn(text: string): Set<string> {
  return new Set([...text.matchAll(/https?:\/\/[^\s<>()|]+/g)].map((m) => m[0].replace(/[.,;:!?'"]+$/, '')));
}

export function uniqueCitations(citations: readonly Citation[], alreadyShown = ''): Citation[] {
  const seen = urlsIn(alreadyShown);
  return citations.filter((c) => {
    const url = c.url.trim();
    if (!url || seen.has(url)) return false;
    seen.add(url);
    return true;
  });
}
