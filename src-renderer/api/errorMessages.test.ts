import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src-main/api/errors.js';
import { en } from '../i18n/en.js';
import { vi } from '../i18n/vi.js';
import { ApiCallError } from './call.js';
import { duplicatesOf, errorMessage, fieldIssues, messageForCode } from './errorMessages.js';

// Exhaustive by type: adding a code in main makes this fail to typecheck until listed.
const everyCode = {
  INVALID_INPUT: true,
  NOT_FOUND: true,
  DUPLICATE_SUSPECTED: true,
  CONFLICT: true,
  SETUP_REQUIRED: true,
  FILE_TOO_LARGE: true,
  FILE_NOT_PDF: true,
  STORE_CORRUPT: true,
  STORE_TOO_NEW: true,
  FORBIDDEN: true,
  INTERNAL: true,
  PIN_INCORRECT: true,
  PIN_LOCKED: true,
  TOKEN_REMOVED: true,
  TOKEN_TIMEOUT: true,
  CERT_EXPIRED: true,
  MODIFIED_AFTER_SIGNATURE: true,
} satisfies Record<ErrorCode, true>;
const errorCodes = Object.keys(everyCode) as ErrorCode[];

describe('error messages', () => {
  it('has a Vietnamese and an English message for every code', () => {
    for (const code of errorCodes) {
      expect(messageForCode(code, vi)).toMatch(/\S/);
      expect(messageForCode(code, en)).toMatch(/\S/);
      expect(messageForCode(code, vi)).not.toBe(messageForCode(code, en));
    }
  });

  it('explains a suspected duplicate in Vietnamese', () => {
    expect(errorMessage(new ApiCallError('DUPLICATE_SUSPECTED', 'dup'), vi)).toMatch(/^Văn bản này có thể đã được vào sổ/);
  });

  it('lists field issues of INVALID_INPUT', () => {
    const error = new ApiCallError('INVALID_INPUT', 'Invalid input', [{ path: 'agency.code', message: 'expected NNN.NN.NN.Xnn' }]);
    expect(errorMessage(error, vi)).toBe('Dữ liệu nhập chưa hợp lệ. agency.code: expected NNN.NN.NN.Xnn');
    expect(fieldIssues([{ path: ['a', 0], message: 'm' }, 'junk'])).toEqual([{ path: 'a.0', message: 'm' }]);
  });

  it('says how many PIN tries are left, from the token\'s flags', () => {
    expect(errorMessage(new ApiCallError('PIN_INCORRECT', 'Wrong PIN', { pin: { finalTry: true } }), vi)).toBe(`${vi.errPinIncorrect} ${vi.pinTriesFinal}`);
    expect(errorMessage(new ApiCallError('PIN_INCORRECT', 'Wrong PIN', { pin: { countLow: true } }), vi)).toBe(`${vi.errPinIncorrect} ${vi.pinTriesLow}`);
    expect(errorMessage(new ApiCallError('PIN_INCORRECT', 'Wrong PIN'), vi)).toBe(vi.errPinIncorrect);
    expect(errorMessage(new ApiCallError('PIN_LOCKED', 'locked'), vi)).toBe(vi.errPinLocked);
  });

  it('explains a classified document that cannot be sent', () => {
    expect(errorMessage(new ApiCallError('FORBIDDEN', 'x', { reason: 'CLASSIFIED', confidentiality: 2 }), vi)).toContain('Tối mật');
  });

  it('treats anything else as an internal error', () => {
    expect(errorMessage(new TypeError('x'), en)).toBe(en.errInternal);
  });

  it('reads the duplicates from either detail shape', () => {
    expect(duplicatesOf([{ id: 1 }, { x: 2 }])).toHaveLength(1);
    expect(duplicatesOf({ duplicates: [{ id: 3 }] })).toHaveLength(1);
    expect(duplicatesOf(null)).toEqual([]);
  });
});
