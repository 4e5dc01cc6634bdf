import { assertNever, type DomainErrorCode } from '../../core/shared/errors.js';
import type { Problem } from './error-handling.js';
import type { TransportErrorKind } from './transport-errors.js';

/**
 * Plain REST statuses for the surfaces whose documents name no finer mapping (Hellodialog,
 * Hello Customer, eSputnik). Hellotext documents its own and keeps its own switch.
 */
export function restStatusOfDomain(code: DomainErrorCode): number {
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
    case 'rate_limited':
      return 429;
    default:
      return assertNever(kind);
  }
}

/** The status and client-facing message of any problem, for the simple envelopes. */
export function plainProblem(problem: Problem): { status: number; message: string } {
  switch (problem.kind) {
    case 'domain': {
      const { error } = problem;
      const about = error.parameter ? ` (${error.parameter})` : '';
      return { status: restStatusOfDomain(error.code), message: error.message + about };
    }
    case 'transport':
      return { status: statusOfTransport(problem.error.kind), message: problem.error.message };
    case 'internal':
      return { status: 500, message: `Something went wrong. Request id: ${problem.requestId}.` };
    default:
      return assertNever(problem);
  }
}
