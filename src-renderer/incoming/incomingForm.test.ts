import { describe, expect, it } from 'vitest';
import { vi as messages } from '../i18n/vi.js';
import { issuesToErrors } from '../api/errorMessages.js';
import { checkArrivalDate, emptyIncoming, incomingFields, validateIncoming } from './incomingForm.js';

const filled = {
  ...emptyIncoming,
  senderName: 'Sở Nội vụ',
  codeNumber: '12',
  codeNotation: 'SNV-VP',
  documentDate: '2025-03-01',
  typeId: '3',
  subject: 'V/v báo cáo',
};

describe('incoming register form', () => {
  it('asks for every required field in Vietnamese', () => {
    const errors = validateIncoming(emptyIncoming, messages, '2025-03-05');
    expect(errors.senderName).toBe('Vui lòng nhập nơi gửi.');
    expect(errors.typeId).toBe('Vui lòng chọn loại văn bản.');
    expect(Object.keys(errors).sort()).toEqual(['codeNotation', 'codeNumber', 'documentDate', 'senderName', 'subject', 'typeId']);
  });

  it('rejects future document dates and deadlines before the document date', () => {
    expect(validateIncoming({ ...filled, documentDate: '2025-03-06' }, messages, '2025-03-05').documentDate).toBeDefined();
    expect(validateIncoming({ ...filled, dueDate: '2025-02-01' }, messages, '2025-03-05').dueDate).toBeDefined();
    expect(validateIncoming(filled, messages, '2025-03-05')).toEqual({});
  });

  it('converts values to the contract types', () => {
    expect(incomingFields({ ...filled, recipientUnitId: '2', note: '  ' })).toMatchObject({
      typeId: 3,
      urgency: 0,
      recipientUnitId: 2,
      note: null,
      dueDate: null,
    });
  });

  it('maps server issues onto fields', () => {
    const fields = Object.keys(emptyIncoming);
    expect(
      issuesToErrors(
        [
          { path: 'patch.codeNumber', message: 'too long' },
          { path: 'file.dataBase64', message: 'empty' },
        ],
        fields,
      ),
    ).toEqual({ codeNumber: 'too long', file: 'empty' });
  });
});

describe('ngày đến', () => {
  it('must be a real day, not in the future and not before the document date', () => {
    expect(checkArrivalDate('2026-03-04', '2026-03-02', '2026-03-05', messages)).toBeNull();
    expect(checkArrivalDate('', '2026-03-02', '2026-03-05', messages)).toBe(messages.vRequired(messages.fArrivalDate));
    expect(checkArrivalDate('2026-02-30', '', '2026-03-05', messages)).toBe(messages.vDate);
    expect(checkArrivalDate('2026-03-06', '', '2026-03-05', messages)).toBe(messages.vFutureDate);
    expect(checkArrivalDate('2026-03-01', '2026-03-02', '2026-03-05', messages)).toBe(messages.vArrivalBeforeDocument);
  });
});
