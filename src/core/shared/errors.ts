/**
 * The closed set of ways a use case can refuse. Each surface maps every code to its own
 * envelope in one exhaustive switch (src/api/<surface>/errors.to-http.ts), so adding a code
 * here breaks the build until every surface has decided how to show it.
 */
export type DomainErrorCode =
  /** A required parameter was not given. */
  | 'missing'
  /** A required parameter was given empty. */
  | 'empty'
  /** A parameter has a value that is not acceptable. */
  | 'invalid'
  /** The object does not exist for this business (also: it belongs to another). */
  | 'not_found'
  /** The value must be unique and another object holds it. */
  | 'not_unique'
  /** The object's state does not allow the operation. */
  | 'not_allowed'
  /** At least one of several optional parameters must be given. */
  | 'object_invalid'
  /** Several parameters were given for one role. */
  | 'ambiguous'
  /** A tracking session already belongs to another profile. */
  | 'session_assigned_to_another_profile'
  /** A property was set on a profile but no such property exists. */
  | 'undefined_property';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The input parameter the error is about, in the core's naming. */
    readonly parameter?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, parameter = 'id') => new DomainError('not_found', `${what} was not found.`, parameter);
export const invalid = (parameter: string, message: string) => new DomainError('invalid', message, parameter);
export const missing = (parameter: string) => new DomainError('missing', 'This parameter is required.', parameter);

/**
 * Runs a write that a unique index guards; when a concurrent writer got there first, the
 * database's refusal becomes the same `not_unique` the checks before it would have given.
 */
export async function refusingDuplicates<T>(caps: { isUniqueViolation(error: unknown): boolean }, parameter: string, message: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (caps.isUniqueViolation(error)) throw new DomainError('not_unique', message, parameter);
    throw error;
  }
}

/** For exhaustive switches: the compiler proves this is never reached. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${String(value)}`);
}
