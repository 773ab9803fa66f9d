import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

/**
 * A durable timer that can be pushed back: each `extend` cancels the pending timer and starts a new one, so the
 * Temporal UI shows exactly one live timer for the window. `onExpire` runs when the latest one fires.
 */
export class DeadlineTimer {
  private scope: CancellationScope | undefined;

  constructor(private readonly onExpire: () => void) {}

  cancel(): void {
    this.scope?.cancel();
    this.scope = undefined;
  }

  /** Sets the deadline `ms` from now (workflow time). */
  extend(ms: number): void {
    this.scope?.cancel();
    if (ms <= 0) {
      this.onExpire();
      return;
    }
    const scope = new CancellationScope();
    this.scope = scope;
    scope
      .run(() => sleep(ms))
      .then(
        () => {
          if (this.scope === scope) this.onExpire();
        },
        (err) => {
          if (!isCancellation(err)) throw err;
        },
      );
  }
}
