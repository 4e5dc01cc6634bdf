import { assertNever, type DomainErrorCode } from '../../core/shared/errors.js';
import { Type } from 'typebox';
import type { HttpAnswer, Problem } from '../http/error-handling.js';
import type { TransportErrorKind } from '../http/transport-errors.js';

/** Hellotext's documented error types, plus `unauthorized` and `internal_error`. */
type HellotextErrorType =
  | 'parameter_missing'
  | 'parameter_invalid_empty'
  | 'invalid'
  | 'not_found'
  | 'parameter_not_unique'
  | 'not_allowed'
  | 'object_invalid'
  | 'ambiguous_parameter'
  | 'session_assigned_to_another_profile'
  | 'undefined_property'
  | 'unauthorized'
  | 'internal_error';

function domain(code: DomainErrorCode): { status: number; type: HellotextErrorType } {
  switch (code) {
    case 'missing':
      return { status: 400, type: 'parameter_missing' };
    case 'empty':
      return { status: 422, type: 'parameter_invalid_empty' };
    case 'invalid':
      return { status: 422, type: 'invalid' };
    case 'not_found':
      return { status: 404, type: 'not_found' };
    case 'not_unique':
      return { status: 422, type: 'parameter_not_unique' };
    case 'not_allowed':
      return { status: 422, type: 'not_allowed' };
    case 'object_invalid':
      return { status: 422, type: 'object_invalid' };
    case 'ambiguous':
      return { status: 422, type: 'ambiguous_parameter' };
    case 'session_assigned_to_another_profile':
      return { status: 422, type: 'session_assigned_to_another_profile' };
    case 'undefined_property':
      return { status: 422, type: 'undefined_property' };
    default:
      return assertNever(code);
  }
}

function transport(kind: TransportErrorKind): { status: number; type: HellotextErrorType } {
  switch (kind) {
    case 'unauthorized':
      return { status: 401, type: 'unauthorized' };
    case 'malformed_body':
      return { status: 400, type: 'invalid' };
    case 'body_too_large':
      return { status: 413, type: 'invalid' };
    case 'unsupported_media_type':
      return { status: 415, type: 'invalid' };
    case 'route_not_found':
      return { status: 404, type: 'not_found' };
    default:
      return assertNever(kind);
  }
}

function envelope(status: number, type: HellotextErrorType, message: string, parameter: string | null): HttpAnswer {
  return { status, body: { errors: [{ type, message, parameter }] } };
}

/** `{"errors":[{"type","message","parameter"}]}` with the documented statuses. */
export function hellotextProblem(problem: Problem): HttpAnswer {
  switch (problem.kind) {
    case 'domain': {
      const { status, type } = domain(problem.error.code);
      return envelope(status, type, problem.error.message, problem.error.parameter ?? null);
    }
    case 'transport': {
      const { status, type } = transport(problem.error.kind);
      const parameter = ['malformed_body', 'body_too_large', 'unsupported_media_type'].includes(problem.error.kind) ? 'body' : null;
      return envelope(status, type, problem.error.message, parameter);
    }
    case 'internal':
      return envelope(500, 'internal_error', `Something went wrong. Request id: ${problem.requestId}.`, null);
    default:
      return assertNever(problem);
  }
}

/** The envelope above, for the OpenAPI document. */
export const hellotextErrorEnvelope = Type.Object({
  errors: Type.Array(Type.Object({ type: Type.String(), message: Type.String(), parameter: Type.Union([Type.String(), Type.Null()]) })),
});
