import { assertNever, type DomainErrorCode } from '../../core/shared/errors.js';
import { Type } from 'typebox';
import type { HttpAnswer, Problem } from '../http/error-handling.js';
import { plainProblem } from '../http/statuses.js';

function statusOf(code: DomainErrorCode): number {
  switch (code) {
    case 'missing':
    case 'empty':
    case 'invalid':
    case 'object_invalid':
    case 'ambiguous':
    case 'undefined_property':
      return 400;
    case 'not_found':
      return 404;
    case 'not_unique':
    case 'not_allowed':
    case 'session_assigned_to_another_profile':
      return 409;
    default:
      return assertNever(code);
  }
}

/**
 * Hellodialog wraps every answer in `result`; failures read
 * `{"result":{"status":"ERROR","code":<HTTP status>,"message":"…"}}` (docs/surfaces.md).
 */
export function hellodialogProblem(problem: Problem): HttpAnswer {
  const { status, message } = plainProblem(problem, statusOf);
  return { status, body: { result: { status: 'ERROR', code: status, message } } };
}

/** The envelope above, for the OpenAPI document. */
export const hellodialogErrorEnvelope = Type.Object({
  result: Type.Object({ status: Type.Literal('ERROR'), code: Type.Integer(), message: Type.String() }),
});
