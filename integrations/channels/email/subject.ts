// Reply subjects: one "Re:" however many the thread already carries (and whatever language the client used).
const replyPrefix = /^\s*(?:re|aw|sv|antw|vs|ref)(?:\s*\[\d+\])?\s*:\s*/i;

export function replySubject(subject: string): string {
  let base = subject.trim();
  while (replyPrefix.test(base)) base = base.replace(replyPrefix, '');
  return base ? `Re: ${base}` : 'Re:';
}
