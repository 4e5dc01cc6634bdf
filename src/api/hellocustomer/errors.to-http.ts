import { assertNever, type DomainErrorCode } from '../../core/shared/errors.js';
import { Type } from 'typebox';
import type { HttpAnswer, Problem } from '../http/error-handling.js';
import { plainProblem } from '../http/statuses.js';

/**
 * Hello Customer's "Validation messages" list every refusal, including "Touchpoint with ID …
 * not found", under 400 Bad request.
 */
function statusOf(code: DomainErrorCode): number {
  switch (code) {
    case 'missing':
    case 'empty':
    case 'invalid':
    case 'object_invalid':
    case 'ambiguous':
    case 'undefined_property':
    case 'not_found':
    case 'not_unique':
    case 'not_allowed':
    case 'session_assigned_to_another_profile':
      return 400;
    default:
      return assertNever(code);
  }
}

/**
 * Hello Customer runs on ASP.NET Web API; its failures carry `{"Message":"…"}`, and a 401
 * reads like the framework's own.
 */
export function hellocustomerProblem(problem: Problem): HttpAnswer {
  const { status, message } = plainProblem(problem, statusOf);
  if (problem.kind === 'transport' && problem.error.kind === 'unauthorized') {
    return { status, body: { Message: 'Authorization has been denied for this request.' } };
  }
  return { status, body: { Message: message } };
}

/** The envelope above, for the OpenAPI document. */
export const hellocustomerErrorEnvelope = Type.Object({ Message: Type.String() });
