import { describe, expect, it } from 'vitest';
import { auditSummary } from './auditSummary.js';

describe('audit summaries', () => {
  it('shows JSON payloads as short pairs without file hashes', () => {
    const payload = JSON.stringify({ arrivalNumber: 1, code: '12/SNV-VP', file: 'a'.repeat(64), nested: { x: 1 } });
    expect(auditSummary(payload)).toBe('arrivalNumber: 1, code: 12/SNV-VP');
  });

  it('keeps plain text as it is', () => {
    expect(auditSummary('Vào sổ văn bản đến')).toBe('Vào sổ văn bản đến');
    expect(auditSummary('42')).toBe('42');
  });
});
