import type { HttpAnswer, Problem } from '../http/error-handling.js';
import { plainProblem } from '../http/statuses.js';

/**
 * Hello Customer runs on ASP.NET Web API; its failures carry `{"Message":"…"}` with the
 * statuses of its "Validation messages" section (400, 401, 429).
 */
export function hellocustomerProblem(problem: Problem): HttpAnswer {
  const { status, message } = plainProblem(problem);
  if (problem.kind === 'transport' && problem.error.kind === 'unauthorized') {
    return { status, body: { Message: 'Authorization has been denied for this request.' } };
  }
  return { status, body: { Message: message } };
}
