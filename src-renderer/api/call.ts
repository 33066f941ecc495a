import type { ErrorCode, Result } from '../../src-main/api/errors.js';

/** A failed API call, carrying the stable code from main and its optional details. */
export class ApiCallError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

/** Awaits an API call and returns its value, or throws an ApiCallError with the code. */
export async function call<T>(pending: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await pending;
  } catch (error) {
    // The bridge itself failed (preload missing, preview host unreachable…).
    throw new ApiCallError('INTERNAL', error instanceof Error ? error.message : String(error));
  }
  if (result.ok) return result.value;
  throw new ApiCallError(result.error.code, result.error.message, result.error.details);
}

/** The API exposed by the preload or the preview host. */
export const api = () => window.api;
