/**
 * Errors of the edXML codec. Every message starts with "edXML:" and names the
 * element path (e.g. `MessageHeader/Code/CodeNumber`) so that a rejected package
 * can be diagnosed from the log alone.
 */
import { AppError } from '../api/errors.js';

/** The package is malformed, incomplete or breaks a rule of the standard. */
export function invalid(path: string, problem: string, details?: Record<string, unknown>): AppError {
  return new AppError('INVALID_INPUT', `edXML: ${path} ${problem}`, { path, ...details });
}

/** A size limit was exceeded (package, attachment, inflated zip entry). */
export function tooLarge(path: string, problem: string, details: { limit: number; actual?: number }): AppError {
  return new AppError('FILE_TOO_LARGE', `edXML: ${path} ${problem}`, { path, ...details });
}
