/**
 * Failures found before a use case runs: credentials, body, route. Each surface maps these,
 * like the core's DomainError codes, in its one exhaustive switch.
 */
export type TransportErrorKind =
  | 'unauthorized'
  | 'malformed_body'
  | 'body_too_large'
  | 'unsupported_media_type'
  | 'route_not_found';

export class TransportError extends Error {
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

interface FastifyLikeError {
  code?: unknown;
  statusCode?: unknown;
  message: string;
}

/** Recognises the errors Fastify raises while reading a request and names them. */
export function transportErrorFromFastify(error: FastifyLikeError): TransportError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return new TransportError('malformed_body', 'The request body could not be read: ' + error.message);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new TransportError('body_too_large', 'The request body is larger than this endpoint accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new TransportError('unsupported_media_type', 'Send application/json or application/x-www-form-urlencoded.');
    default:
      if (error.statusCode === 400 && error instanceof SyntaxError) return new TransportError('malformed_body', 'The request body is not valid JSON.');
      return undefined;
  }
}
