import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app, so tests that build several apps in one process do not collide. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'threadline_' });
  const httpRequests = new Counter({
    name: 'threadline_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const turnSeconds = new Histogram({
    name: 'threadline_turn_seconds',
    help: 'Time from an inbound message to the bot reply, by channel',
    labelNames: ['channel'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return { registry, httpRequests, turnSeconds };
}
export type Metrics = ReturnType<typeof createMetrics>;
