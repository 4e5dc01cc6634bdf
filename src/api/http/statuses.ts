import { assertNever, type DomainErrorCode } from '../../core/shared/errors.js';
import type { Problem } from './error-handling.js';
import type { TransportErrorKind } from './transport-errors.js';

/** Transport failures have the same HTTP meaning on every surface. */
export function statusOfTransport(kind: TransportErrorKind): number {
  switch (kind) {
    case 'unauthorized':
      return 401;
    case 'malformed_body':
      return 400;
    case 'body_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'route_not_found':
      return 404;
    default:
      return assertNever(kind);
  }
}

/**
 * Status and client-facing message of a problem for the envelopes that carry a plain message;
 * each surface passes its own exhaustive mapping of the domain codes.
 */
export function plainProblem(problem: Problem, statusOfDomain: (code: DomainErrorCode) => number): { status: number; message: string } {
  switch (problem.kind) {
    case 'domain': {
      const { error } = problem;
      const about = error.parameter ? ` (${error.parameter})` : '';
      return { status: statusOfDomain(error.code), message: error.message + about };
    }
    case 'transport':
      return { status: statusOfTransport(problem.error.kind), message: problem.error.message };
    case 'internal':
      return { status: 500, message: `Something went wrong. Request id: ${problem.requestId}.` };
    default:
      return assertNever(problem);
  }
}

/** Outside the four surfaces (health, metrics, docs): plain REST statuses. */
export function restStatusOf(code: DomainErrorCode): number {
  switch (code) {
    case 'not_found':
      return 404;
    case 'not_unique':
    case 'not_allowed':
    case 'session_assigned_to_another_profile':
      return 409;
    case 'missing':
    case 'empty':
    case 'invalid':
    case 'object_invalid':
    case 'ambiguous':
    case 'undefined_property':
      return 422;
    default:
      return assertNever(code);
  }
}
