import type { ApiInput } from '../../src-main/api/contract.js';
import type { Confidentiality, DocumentRecord, Urgency } from '../../src-main/api/types.js';
import { isCalendarDay } from '../format/dates.js';
import type { Messages } from '../i18n/vi.js';

/** The register form's values, as the controls hold them (strings). */
export interface IncomingValues {
  senderName: string;
  codeNumber: string;
  codeNotation: string;
  documentDate: string;
  typeId: string;
  subject: string;
  urgency: string;
  confidentiality: string;
  recipientUnitId: string;
  recipientPerson: string;
  dueDate: string;
  note: string;
}

export type IncomingErrors = Partial<Record<keyof IncomingValues | 'file', string>>;

export const emptyIncoming: IncomingValues = {
  senderName: '',
  codeNumber: '',
  codeNotation: '',
  documentDate: '',
  typeId: '',
  subject: '',
  urgency: '0',
  confidentiality: '0',
  recipientUnitId: '',
  recipientPerson: '',
  dueDate: '',
  note: '',
};

export function valuesFromDocument(doc: DocumentRecord): IncomingValues {
  return {
    senderName: doc.senderName ?? '',
    codeNumber: doc.codeNumber ?? '',
    codeNotation: doc.codeNotation ?? '',
    documentDate: doc.documentDate ?? '',
    typeId: String(doc.typeId),
    subject: doc.subject,
    urgency: String(doc.urgency),
    confidentiality: String(doc.confidentiality),
    recipientUnitId: doc.recipientUnitId === null ? '' : String(doc.recipientUnitId),
    recipientPerson: doc.recipientPerson ?? '',
    dueDate: doc.dueDate ?? '',
    note: doc.note ?? '',
  };
}

const limits: Partial<Record<keyof IncomingValues, number>> = {
  senderName: 200,
  codeNumber: 11,
  codeNotation: 30,
  subject: 500,
  recipientPerson: 100,
  note: 1000,
};

/** Client-side checks mirroring the contract, with Vietnamese (or English) messages per field. */
export function validateIncoming(v: IncomingValues, t: Messages, today: string): IncomingErrors {
  const errors: IncomingErrors = {};
  const required: [keyof IncomingValues, string][] = [
    ['senderName', t.fSender],
    ['codeNumber', t.fCodeNumber],
    ['codeNotation', t.fCodeNotation],
    ['subject', t.fSubject],
  ];
  for (const [key, label] of required) if (!v[key].trim()) errors[key] = t.vRequired(label);
  for (const [key, max] of Object.entries(limits) as [keyof IncomingValues, number][]) {
    if (!errors[key] && v[key].trim().length > max) errors[key] = t.vTooLong(max);
  }
  if (!v.documentDate) errors.documentDate = t.vRequired(t.fDocumentDate);
  else if (!isCalendarDay(v.documentDate)) errors.documentDate = t.vDate;
  else if (v.documentDate > today) errors.documentDate = t.vFutureDate;
  if (!v.typeId) errors.typeId = t.vChoose(t.fType);
  if (v.dueDate) {
    if (!isCalendarDay(v.dueDate)) errors.dueDate = t.vDate;
    else if (v.documentDate && v.dueDate < v.documentDate) errors.dueDate = t.vDueBeforeDocument;
  }
  return errors;
}

/** Ngày đến: a real day, not in the future, not before the document's own date. */
export function checkArrivalDate(arrival: string, documentDate: string, today: string, t: Messages): string | null {
  if (!arrival) return t.vRequired(t.fArrivalDate);
  if (!isCalendarDay(arrival)) return t.vDate;
  if (arrival > today) return t.vFutureDate;
  if (documentDate && arrival < documentDate) return t.vArrivalBeforeDocument;
  return null;
}

const orNull = (s: string) => (s.trim() ? s.trim() : null);

/** The fields shared by register and update, in the contract's types. */
export function incomingFields(v: IncomingValues) {
  return {
    senderName: v.senderName.trim(),
    codeNumber: v.codeNumber.trim(),
    codeNotation: v.codeNotation.trim(),
    documentDate: v.documentDate,
    typeId: Number(v.typeId),
    subject: v.subject.trim(),
    urgency: Number(v.urgency) as Urgency,
    confidentiality: Number(v.confidentiality) as Confidentiality,
    recipientUnitId: v.recipientUnitId ? Number(v.recipientUnitId) : null,
    recipientPerson: orNull(v.recipientPerson),
    dueDate: v.dueDate || null,
    note: orNull(v.note),
  } satisfies ApiInput<'documents:update'>['patch'];
}
