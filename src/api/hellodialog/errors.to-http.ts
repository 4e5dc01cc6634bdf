import type { HttpAnswer, Problem } from '../http/error-handling.js';
import { plainProblem } from '../http/statuses.js';

/**
 * Hellodialog wraps every answer in `result`; failures read
 * `{"result":{"status":"ERROR","code":<HTTP status>,"message":"…"}}` (docs/surfaces.md).
 */
export function hellodialogProblem(problem: Problem): HttpAnswer {
  const { status, message } = plainProblem(problem);
  return { status, body: { result: { status: 'ERROR', code: status, message } } };
}
