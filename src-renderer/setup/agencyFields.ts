import type { FieldSpec } from '../components/RecordEditor.js';
import type { Messages } from '../i18n/vi.js';

/** Mirrors agencyCodePattern in src-main/api/contract.ts (mã định danh NNN.NN.NN.Xnn). */
export const agencyCodePattern = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/;

export function agencyFieldSpecs(t: Messages): FieldSpec[] {
  return [
    { key: 'name', label: t.agencyName, max: 200, required: true },
    { key: 'shortName', label: t.agencyShortName, max: 20, required: true },
    {
      key: 'code',
      label: t.agencyCode,
      max: 13,
      required: true,
      hint: t.agencyCodeHint,
      check: (v) => (agencyCodePattern.test(v) ? undefined : t.vAgencyCode),
    },
    { key: 'place', label: t.agencyPlace, max: 50, required: true },
  ];
}

export function unitFieldSpecs(t: Messages): FieldSpec[] {
  return [
    { key: 'name', label: t.unitName, max: 200, required: true },
    { key: 'shortName', label: t.unitShortName, max: 20, required: true },
  ];
}
