import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { registerMetricsRoute } from './api/http/metrics.route.js';
import type { Config } from './config/config.js';
import { ensureDefaultBusiness } from './core/business/businesses.service.js';
import { publicIdsOf } from './core/business/installation.service.js';
import { countJobsByState } from './jobs/jobs.repository.js';
import { startWorker, type RunningWorker } from './jobs/run-worker.js';
import { Metrics } from './observability/metrics.js';
import { openRuntime, type Runtime } from './runtime.js';

export interface Server {
  readonly runtime: Runtime;
  /** The API (serve), or a worker's own /metrics listener (METRICS_PORT). */
  readonly app: FastifyInstance | undefined;
  readonly worker: RunningWorker | undefined;
  /** Stops accepting, finishes in-flight requests and jobs (bounded), closes the database. */
  shutdown(): Promise<void>;
}

/** Resolves after `promise` or after `ms`, whichever is first; true when `promise` won. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The composition root: config -> store -> core -> surfaces -> listen. `serve` runs the API
 * and an in-process worker; `worker` runs only the worker.
 */
export async function startServer(config: Config, mode: { api: boolean; worker: boolean }): Promise<Server> {
  const runtime = await openRuntime(config);
  const { ctx } = runtime;
  const metrics = new Metrics(() => countJobsByState(ctx.db));
  let app: FastifyInstance | undefined;
  let worker: RunningWorker | undefined;
  try {
    // Read (or made) here, outside any transaction, for the API and for what the worker writes.
    const ids = await publicIdsOf(ctx);
    if (mode.api) {
      const bootstrap = await ensureDefaultBusiness(ctx);
      // Shown before listening: a start that fails (port taken) must not swallow the only
      // sight of the first key.
      if (bootstrap) announceFirstKey(config, bootstrap.business.name, bootstrap.key.token);
      app = await buildApp({ ctx, ids, metrics });
      await app.listen({ port: config.PORT, host: config.HOST });
    }
    if (mode.worker && config.WORKER_CONCURRENCY > 0) worker = startWorker(ctx, metrics);
    if (!mode.api && config.METRICS_PORT !== undefined) {
      // A worker-only process has no API to carry /metrics: it gets a listener of its own.
      const loggerInstance: FastifyBaseLogger = ctx.logger;
      app = Fastify({ loggerInstance, logController: new LogController({ disableRequestLogging: true }) });
      registerMetricsRoute(app, config, metrics);
      await app.listen({ port: config.METRICS_PORT, host: config.HOST });
    }
  } catch (error) {
    await app?.close();
    await runtime.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  const shutdown = () => {
    closing ??= (async () => {
      const limit = config.SHUTDOWN_TIMEOUT_MS;
      const http = app ? app.close() : Promise.resolve();
      const [httpDone] = await Promise.all([within(http, limit), worker?.stop(limit)]);
      if (!httpDone && app) {
        ctx.logger.warn('requests still open after SHUTDOWN_TIMEOUT_MS; closing their connections');
        app.server.closeAllConnections();
        await http;
      }
      await runtime.close();
      ctx.logger.info('stopped');
    })();
    return closing;
  };
  return { runtime, app, worker, shutdown };
}

/** Runs until SIGTERM or SIGINT, then shuts down gracefully. */
export function shutdownOnSignals(server: Server): void {
  const stop = (signal: string) => {
    server.runtime.ctx.logger.info({ signal }, 'shutting down');
    server.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        server.runtime.ctx.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/** Written to stderr: stdout carries the JSON log lines, which this banner must not break. */
function announceFirstKey(config: Config, businessName: string, token: string): void {
  process.stderr.write(
    [
      '',
      `hellohub: created the business "${businessName}" and its first API key (shown once, keep it safe):`,
      `  ${token}`,
      `Try it: curl -H "Authorization: Bearer ${token}" ${config.PUBLIC_URL}/v1/business`,
      '',
    ].join('\n') + '\n',
  );
}
