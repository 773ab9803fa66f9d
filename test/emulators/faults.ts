// Failure injection shared by the emulators: queue a fault for the next n matching requests, each vendor shapes
// the error body its own way (Twilio error JSON, Graph error object, Slack ok:false).
export type HttpFault =
  | { status: 429; retryAfter?: number; body?: unknown }
  | { status: 500 | 503; body?: unknown }
  | { delayMs: number };

interface Queued<F, R> {
  remaining: number;
  fault: F;
  match: (req: R) => boolean;
}

export class FaultQueue<F, R = unknown> {
  private queue: Queued<F, R>[] = [];

  /** Faults queue in order: a second failNext applies after the first one has been used up. */
  failNext(n: number, fault: F, match: (req: R) => boolean = () => true): void {
    if (n > 0) this.queue.push({ remaining: n, fault, match });
  }

  /** The fault for this request, if one is due; using it counts it down. */
  take(req: R): F | undefined {
    const entry = this.queue.find((q) => q.match(req));
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.queue.splice(this.queue.indexOf(entry), 1);
    return entry.fault;
  }

  reset(): void {
    this.queue = [];
  }
}

export const isDelay = (fault: HttpFault): fault is { delayMs: number } => 'delayMs' in fault;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
