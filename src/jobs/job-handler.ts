/** What a handler and the worker's hooks learn about a job. */
export interface JobInfo {
  readonly id: number;
  readonly kind: string;
  /** Null for installation-wide work. */
  readonly businessId: number | null;
  /** 1 on the first run; counts runs whose worker crashed too. */
  readonly attempt: number;
}

export interface Job extends JobInfo {
  /** The value given to `enqueue`, after a JSON round trip; validate it before use. */
  readonly payload: unknown;
}

/**
 * Does the work of one job. Resolving deletes the job; throwing schedules a retry, or marks
 * the job dead when attempts are used up or the error is a PermanentJobError. Handlers may
 * run more than once for one job (a worker can crash after the work but before recording
 * it), so they must be idempotent or record their own progress.
 */
export type JobHandler = (job: Job) => Promise<void>;

/** Handlers by job kind. */
export type JobHandlers = Readonly<Record<string, JobHandler>>;

/** Thrown by a handler when retrying cannot help (invalid payload, rejected recipient). */
export class PermanentJobError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}
