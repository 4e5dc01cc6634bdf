import type { HttpAnswer, Problem } from '../http/error-handling.js';
import { plainProblem } from '../http/statuses.js';

/** eSputnik-style failures: `{"error":"…","status":<HTTP status>}` (docs/surfaces.md). */
export function esputnikProblem(problem: Problem): HttpAnswer {
  const { status, message } = plainProblem(problem);
  return { status, body: { error: message, status } };
}
