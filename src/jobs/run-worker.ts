import { catalogImageJobHandlers } from '../core/commerce/catalog-images.jobs.js';
import type { CoreContext } from '../core/context.js';
import { templateJobHandlers } from '../core/messaging/templates.jobs.js';
import { messageJobHandlers } from '../core/messaging/messages.job.js';
import { startChannelProviders } from '../core/messaging/messages.providers.js';
import { webhookJobHandlers } from '../core/webhooks/webhook-delivery.job.js';
import type { Metrics } from '../observability/metrics.js';
import type { JobHandlers } from './job-handler.js';
import { Worker, workerOptionsFromConfig } from './worker.js';

export interface RunningWorker {
  /** Stops claiming and waits up to `timeoutMs` for the jobs in flight. */
  stop(timeoutMs: number): Promise<void>;
}

/**
 * The job kinds this installation runs, bound to the context they run with. Each capability
 * adds its handlers here as it arrives (message sending, webhook delivery, attachment and
 * image downloads, imports).
 */
export function jobHandlers(ctx: CoreContext): JobHandlers {
  return { ...webhookJobHandlers(ctx), ...templateJobHandlers(ctx), ...messageJobHandlers(ctx), ...catalogImageJobHandlers(ctx) };
}

/** Starts a worker for `hellohub serve` / `hellohub worker`, counting outcomes in metrics. */
export function startWorker(ctx: CoreContext, metrics: Metrics, handlers: JobHandlers = jobHandlers(ctx)): RunningWorker {
  const worker = new Worker(ctx, handlers, {
    ...workerOptionsFromConfig(ctx.config),
    hooks: {
      onCompleted: (job) => metrics.jobsFinished.inc({ kind: job.kind, outcome: 'done' }),
      onFailed: (job) => metrics.jobsFinished.inc({ kind: job.kind, outcome: 'retry' }),
      onDead: (job) => metrics.jobsFinished.inc({ kind: job.kind, outcome: 'dead' }),
    },
  });
  worker.start();
  ctx.logger.info({ concurrency: ctx.config.WORKER_CONCURRENCY }, 'worker started');
  const providers = startChannelProviders(ctx);
  return { stop: (timeoutMs) => worker.stop(timeoutMs).finally(() => providers.close()) };
}
