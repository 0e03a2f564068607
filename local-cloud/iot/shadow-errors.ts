/**
 * Errors of the device shadow service, as the AWS IoT Developer Guide lists them ("Device Shadow
 * error messages"): an HTTP status and a fixed message. The same value becomes an HTTP error
 * (status + `x-amzn-errortype`) or an MQTT `/rejected` document, so both transports agree.
 */
export type ShadowErrorCode = 400 | 401 | 404 | 405 | 409 | 413 | 415 | 429 | 500;

export interface ShadowError {
  readonly code: ShadowErrorCode;
  readonly message: string;
  /** Echoed in the MQTT `/rejected` document when the request carried a valid one. */
  readonly clientToken?: string;
}

export type ShadowResult<T> = { ok: true; value: T } | { ok: false; error: ShadowError };

export const ok = <T>(value: T): ShadowResult<T> => ({ ok: true, value });

export const fail = (
  code: ShadowErrorCode,
  message: string,
  clientToken?: string,
): { ok: false; error: ShadowError } => ({
  ok: false,
  error: clientToken === undefined ? { code, message } : { code, message, clientToken },
});

/** The error type name the AWS SDK maps each status to (`x-amzn-errortype`). */
export const ERROR_TYPES: Record<ShadowErrorCode, string> = {
  400: 'InvalidRequestException',
  401: 'UnauthorizedException',
  404: 'ResourceNotFoundException',
  405: 'MethodNotAllowedException',
  409: 'ConflictException',
  413: 'RequestEntityTooLargeException',
  415: 'UnsupportedDocumentEncodingException',
  429: 'ThrottlingException',
  500: 'InternalFailureException',
};

export const MESSAGES = {
  invalidJson: 'Invalid JSON',
  missingState: 'Missing required node: state',
  stateNotObject: 'State node must be an object',
  desiredNotObject: 'Desired node must be an object',
  reportedNotObject: 'Reported node must be an object',
  invalidVersion: 'Invalid version',
  invalidClientToken: 'Invalid clientToken',
  tooDeep: 'JSON contains too many levels of nesting; maximum is 6',
  invalidNode: 'State contains an invalid node',
  versionConflict: 'Version conflict',
  tooLarge: 'The payload exceeds the maximum size allowed',
  notUtf8: 'Unsupported documented encoding; supported encoding is UTF-8',
  throttled: 'Rate exceeded',
  noShadow: (shadowName: string) => `No shadow exists with name: '${shadowName}'`,
} as const;
