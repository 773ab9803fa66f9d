// Business hours in the workspace's time zone, read with Intl (no time-zone tables of our own).

export interface BusinessHours {
  timezone: string;
  /** 0 = Sunday … 6 = Saturday */
  days: number[];
  start: string; // HH:MM
  end: string; // HH:MM
}

const WEEKDAY: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function local(now: Date, timezone: string): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '0';
  return { day: WEEKDAY[get('weekday')] ?? 0, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

export function isOpen(now: Date, h: BusinessHours): boolean {
  const { day, minute } = local(now, h.timezone);
  return h.days.includes(day) && minute >= minutes(h.start) && minute < minutes(h.end);
}

/** The next moment the team is in, stepping minute-exactly through the coming week in local time. */
export function nextOpening(now: Date, h: BusinessHours): Date | undefined {
  if (!h.days.length) return undefined;
  const { day, minute } = local(now, h.timezone);
  for (let d = 0; d <= 7; d++) {
    const wd = (day + d) % 7;
    if (!h.days.includes(wd)) continue;
    const startMin = minutes(h.start);
    const fromMin = d === 0 ? minute : 0;
    if (d === 0 && fromMin >= startMin) continue;
    const deltaMinutes = d * 24 * 60 + (startMin - fromMin) - (d === 0 ? 0 : minute);
    return new Date(now.getTime() + deltaMinutes * 60_000 - (now.getUTCSeconds() * 1000 + now.getUTCMilliseconds()));
  }
  return undefined;
}

/** What the customer is told when a person takes over. */
export function handoffNotice(now: Date, h: BusinessHours, firstResponseSeconds: number): string {
  const wait = firstResponseSeconds >= 3600 ? `${Math.round(firstResponseSeconds / 3600)} hour${firstResponseSeconds >= 5400 ? 's' : ''}` : `${Math.max(1, Math.round(firstResponseSeconds / 60))} minutes`;
  if (isOpen(now, h)) return `I'm passing this conversation to a person on our team. They'll reply right here, usually within ${wait}.`;
  const next = nextOpening(now, h);
  const when = next
    ? new Intl.DateTimeFormat('en-US', { timeZone: h.timezone, weekday: 'long', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(next)
    : 'as soon as we can';
  return `I'm passing this conversation to a person on our team. We're away right now, so expect a reply here from ${when}.`;
}
