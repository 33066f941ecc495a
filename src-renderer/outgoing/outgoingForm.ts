import type { ApiInput } from '../../src-main/api/contract.js';
import type { Confidentiality, CurrentUser, DocumentRecord, Urgency } from '../../src-main/api/types.js';
import type { Messages } from '../i18n/vi.js';

/** The draft form's values, as the controls hold them. */
export interface DraftValues {
  typeId: string;
  subject: string;
  signerName: string;
  signerPosition: string;
  recipients: string;
  draftingUnitId: string;
  urgency: string;
  confidentiality: string;
  note: string;
}

export type DraftErrors = Partial<Record<keyof DraftValues | 'file', string>>;

export function newDraft(user: CurrentUser | null): DraftValues {
  return {
    typeId: '',
    subject: '',
    signerName: '',
    signerPosition: '',
    recipients: '',
    draftingUnitId: user?.unitId ? String(user.unitId) : '',
    urgency: '0',
    confidentiality: '0',
    note: '',
  };
}

export function draftFromDocument(doc: DocumentRecord): DraftValues {
  return {
    typeId: String(doc.typeId),
    subject: doc.subject,
    signerName: doc.signerName ?? '',
    signerPosition: doc.signerPosition ?? '',
    recipients: doc.recipients ?? '',
    draftingUnitId: doc.draftingUnitId === null ? '' : String(doc.draftingUnitId),
    urgency: String(doc.urgency),
    confidentiality: String(doc.confidentiality),
    note: doc.note ?? '',
  };
}

const limits: Partial<Record<keyof DraftValues, number>> = {
  subject: 500,
  signerName: 50,
  signerPosition: 100,
  recipients: 1000,
  note: 1000,
};

export function validateDraft(v: DraftValues, t: Messages): DraftErrors {
  const errors: DraftErrors = {};
  if (!v.typeId) errors.typeId = t.vChoose(t.fType);
  if (!v.subject.trim()) errors.subject = t.vRequired(t.fSubject);
  for (const [key, max] of Object.entries(limits) as [keyof DraftValues, number][]) {
    if (!errors[key] && v[key].trim().length > max) errors[key] = t.vTooLong(max);
  }
  return errors;
}

const orNull = (s: string) => (s.trim() ? s.trim() : null);

export function draftInput(v: DraftValues, id: number | undefined): ApiInput<'outgoing:saveDraft'> {
  return {
    ...(id === undefined ? {} : { id }),
    typeId: Number(v.typeId),
    subject: v.subject.trim(),
    signerName: orNull(v.signerName),
    signerPosition: orNull(v.signerPosition),
    recipients: orNull(v.recipients),
    draftingUnitId: v.draftingUnitId ? Number(v.draftingUnitId) : null,
    urgency: Number(v.urgency) as Urgency,
    confidentiality: Number(v.confidentiality) as Confidentiality,
    note: orNull(v.note),
  };
}
