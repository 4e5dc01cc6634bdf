/** The send job's kind and payload, shared by the accepting side and the job handler. */
import { PermanentJobError } from '../../jobs/job-handler.js';

export const SEND_MESSAGE_JOB = 'message.send';

export interface SendJobPayload {
  readonly message: number;
  /** The job's attempt limit travels with it: the last attempt fails the message instead of retrying. */
  readonly maxAttempts: number;
  /**
   * A send slot already claimed (epoch ms): set on the job a send re-enqueues for a slot too
   * far ahead to wait for, so the later run does not claim a second one.
   */
  readonly slotMs?: number;
}

export function sendJobPayload(value: unknown): SendJobPayload {
  if (typeof value === 'object' && value !== null && 'message' in value && 'maxAttempts' in value) {
    const { message, maxAttempts } = value;
    const slotMs = 'slotMs' in value ? value.slotMs : undefined;
    if (typeof message === 'number' && Number.isSafeInteger(message) && typeof maxAttempts === 'number' && Number.isSafeInteger(maxAttempts)) {
      if (slotMs === undefined) return { message, maxAttempts };
      if (typeof slotMs === 'number' && Number.isFinite(slotMs)) return { message, maxAttempts, slotMs };
    }
  }
  throw new PermanentJobError('a message send job needs {message, maxAttempts[, slotMs]}');
}
