import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface QueueDepth {
  readonly queued: number;
  readonly running: number;
  readonly dead: number;
}

/**
 * The process's Prometheus metrics, in a registry of its own (never prom-client's global one,
 * so several apps in one test process do not collide).
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'hellohub_http_requests_total',
    help: 'HTTP requests by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'hellohub_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly jobsFinished = new Counter({
    name: 'hellohub_jobs_finished_total',
    help: 'Jobs run by this process, by kind and outcome (done, retry, dead).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor(queueDepth?: () => Promise<QueueDepth>) {
    collectDefaultMetrics({ register: this.registry, prefix: 'hellohub_' });
    if (!queueDepth) return;
    new Gauge({
      name: 'hellohub_jobs',
      help: 'Jobs in the shared queue by state (queued, running, dead).',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const depth = await queueDepth();
        this.set({ state: 'queued' }, depth.queued);
        this.set({ state: 'running' }, depth.running);
        this.set({ state: 'dead' }, depth.dead);
      },
    });
  }
}
