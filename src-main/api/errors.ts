/**
 * Errors cross the process boundary as values with stable codes; the renderer
 * translates the code (Vietnamese or English) and may show `details`.
 * The message is English, for logs and developers.
 */
export const errorCodes = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'DUPLICATE_SUSPECTED',
  'CONFLICT',
  'SETUP_REQUIRED',
  'FILE_TOO_LARGE',
  'FILE_NOT_PDF',
  'STORE_CORRUPT',
  'STORE_TOO_NEW',
  'FORBIDDEN',
  'INTERNAL',
  // signing (details.reason keeps the token service's own reason)
  'PIN_INCORRECT', // details.pin: { countLow, finalTry, locked } from the token
  'PIN_LOCKED',
  'TOKEN_REMOVED',
  'TOKEN_TIMEOUT',
  'CERT_EXPIRED',
  'MODIFIED_AFTER_SIGNATURE',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface ApiErrorValue {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorValue };

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function toErrorValue(error: unknown): ApiErrorValue {
  if (error instanceof AppError) {
    return error.details === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, details: error.details };
  }
  return { code: 'INTERNAL', message: 'Internal error' };
}
