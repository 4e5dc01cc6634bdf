import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../core/shared/errors.js';
import { TransportError, transportErrorFromFastify } from './transport-errors.js';

/** Everything a surface may have to show a client, already classified. */
export type Problem =
  | { readonly kind: 'domain'; readonly error: DomainError }
  | { readonly kind: 'transport'; readonly error: TransportError }
  /** A bug or an outage: the client sees only the request id, the log has the stack. */
  | { readonly kind: 'internal'; readonly requestId: string };

export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
}

export type ProblemRenderer = (problem: Problem, request: FastifyRequest) => HttpAnswer;

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A schema violation, named like the core names its own input errors. */
function fromValidation(issues: readonly ValidationIssue[], context: string | undefined): DomainError {
  const [first] = issues;
  const path = (first?.instancePath ?? '').split('/').filter(Boolean).join('.');
  if (first?.keyword === 'required') {
    const parameter = [path, String(first.params.missingProperty ?? '')].filter(Boolean).join('.');
    return new DomainError('missing', 'This parameter is required.', parameter);
  }
  const parameter = path || context || undefined;
  return new DomainError('invalid', `The value ${first?.message ?? 'is not valid'}.`, parameter);
}

/** A schema violation as Fastify raises it: its `validation` holds Ajv's issues. */
function isValidationError(error: unknown): error is Pick<FastifyError, 'validationContext'> & { validation: ValidationIssue[] } {
  return error instanceof Error && 'validation' in error && Array.isArray(error.validation);
}

export function classify(error: unknown, request: FastifyRequest): Problem {
  if (error instanceof DomainError) return { kind: 'domain', error };
  if (error instanceof TransportError) return { kind: 'transport', error };
  if (isValidationError(error)) return { kind: 'domain', error: fromValidation(error.validation, error.validationContext) };
  const transport = error instanceof Error ? transportErrorFromFastify(error) : undefined;
  if (transport) return { kind: 'transport', error: transport };
  return { kind: 'internal', requestId: String(request.id) };
}

function send(reply: FastifyReply, answer: HttpAnswer): FastifyReply {
  return reply.code(answer.status).type('application/json; charset=utf-8').send(answer.body);
}

/**
 * Installs a surface's envelope for every failure inside its scope: thrown errors, schema
 * violations, unreadable bodies and unknown routes. Internal errors are logged with their
 * stack here and nowhere else.
 */
export function useSurfaceErrors(scope: FastifyInstance, render: ProblemRenderer): void {
  scope.setErrorHandler((error, request, reply) => {
    const problem = classify(error, request);
    if (problem.kind === 'internal') request.log.error({ err: error }, 'request failed');
    return send(reply, render(problem, request));
  });
  scope.setNotFoundHandler((request, reply) =>
    send(reply, render({ kind: 'transport', error: new TransportError('route_not_found', `No route ${request.method} ${request.url.split('?')[0]}.`) }, request)),
  );
}
