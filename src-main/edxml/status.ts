/**
 * Status messages (gói tin trạng thái, §1.7): header `Status` with, in the order
 * BKAV's writer uses, From, ResponseFor, StaffInfo, StatusCode, Description,
 * Timestamp. Reading is order-insensitive and also accepts a `MessageHeader`
 * container (BKAV's parser does).
 */
import { fieldLengths as len, type EdxmlLimits, resolveLimits } from './constants.js';
import { formatEdxmlDate, formatEdxmlTimestamp, parseEdxmlTimestamp } from './dates.js';
import {
  checkOrganization,
  checkSignature,
  checkStaffInfo,
  dropUndefined,
  edText,
  qualified,
  readOrganization,
  readSignature,
  readStaffInfo,
  writeEnvelopeRoot,
  writeOrganization,
  writeSignature,
  writeStaffInfo,
} from './commonParts.js';
import { messageKind, type OpenedEnvelope, openEnvelope } from './envelope.js';
import { invalid } from './fail.js';
import { isoDateValue, optionalText, organIdValue, requiredText, wireDate } from './fields.js';
import { isStatusCodeFormat } from './statusCodes.js';
import type { StatusMessage } from './types.js';
import { element, serializeDocument } from './xmlWriter.js';

function checkStatus(msg: StatusMessage, container: string, maxSignatureChars: number): StatusMessage {
  if (typeof msg !== 'object' || msg === null) throw invalid(container, 'is missing');
  const P = container;
  const rf = msg.responseFor;
  if (typeof rf !== 'object' || rf === null) throw invalid(`${P}/ResponseFor`, 'is missing');
  const statusCode = requiredText(`${P}/StatusCode`, msg.statusCode, 2);
  if (!isStatusCodeFormat(statusCode)) throw invalid(`${P}/StatusCode`, `"${statusCode}" must be two digits`);
  if (!(msg.timestamp instanceof Date) || Number.isNaN(msg.timestamp.getTime())) {
    throw invalid(`${P}/Timestamp`, 'must be a valid date and time');
  }
  return dropUndefined({
    from: checkOrganization(`${P}/From`, msg.from),
    responseFor: {
      organId: organIdValue(`${P}/ResponseFor/OrganId`, rf.organId),
      code: requiredText(`${P}/ResponseFor/Code`, rf.code, len.responseForCode),
      promulgationDate: isoDateValue(`${P}/ResponseFor/PromulgationDate`, rf.promulgationDate),
      documentId: requiredText(`${P}/ResponseFor/DocumentId`, rf.documentId, len.documentId),
    },
    staffInfo: checkStaffInfo(`${P}/StaffInfo`, msg.staffInfo),
    statusCode,
    description: optionalText(`${P}/Description`, msg.description, len.statusDescription),
    timestamp: new Date(Math.floor(msg.timestamp.getTime() / 1000) * 1000),
    signature: checkSignature('Signature', msg.signature, maxSignatureChars),
  });
}

/** Writes a status message as UTF-8 edXML. */
export function buildStatus(msg: StatusMessage, options: Partial<EdxmlLimits> = {}): Uint8Array {
  const limits = resolveLimits(options);
  const s = checkStatus(msg, 'Status', limits.maxSignatureChars);
  const q = qualified;
  const status = element(q('Status'), [
    writeOrganization('From', s.from),
    element(q('ResponseFor'), [
      edText('OrganId', s.responseFor.organId),
      edText('Code', s.responseFor.code),
      edText('PromulgationDate', formatEdxmlDate(s.responseFor.promulgationDate) ?? undefined),
      edText('DocumentId', s.responseFor.documentId),
    ]),
    writeStaffInfo(s.staffInfo),
    edText('StatusCode', s.statusCode),
    edText('Description', s.description),
    edText('Timestamp', formatEdxmlTimestamp(s.timestamp)),
  ]);
  const header = element(q('edXMLHeader'), [status, writeSignature(s.signature)]);
  // Same envelope shape as a document without attachments (empty manifest).
  const body = element(q('edXMLBody'), [element(q('edXMLManifest'), [], { version: '1.0' })]);
  return new TextEncoder().encode(serializeDocument(writeEnvelopeRoot(header, body, undefined)));
}

/** Reads an opened envelope known to hold a status message. */
export function readStatus(opened: OpenedEnvelope, limits: EdxmlLimits): StatusMessage {
  const r = opened.header.optional('Status') ?? opened.header.required('MessageHeader');
  const rf = r.required('ResponseFor');
  const dateText = rf.textOf('PromulgationDate')?.trim();
  if (dateText === undefined || dateText === '') throw invalid(rf.pathOf('PromulgationDate'), 'is missing');
  const tsText = r.textOf('Timestamp')?.trim();
  if (tsText === undefined || tsText === '') throw invalid(r.pathOf('Timestamp'), 'is missing');
  const timestamp = parseEdxmlTimestamp(tsText);
  if (timestamp === null) throw invalid(r.pathOf('Timestamp'), `"${tsText}" is not a valid timestamp in the form yyyy/MM/dd HH:mm:ss`);
  const msg: StatusMessage = {
    from: readOrganization(r.required('From')),
    responseFor: {
      organId: rf.textOf('OrganId') as string,
      code: rf.textOf('Code') as string,
      promulgationDate: wireDate(rf.pathOf('PromulgationDate'), dateText),
      documentId: rf.textOf('DocumentId') as string,
    },
    staffInfo: readStaffInfo(r.optional('StaffInfo')),
    statusCode: r.textOf('StatusCode') as string,
    description: r.textOf('Description'),
    timestamp,
  };
  const signature = readSignature(opened.header, limits.maxSignatureChars);
  if (signature !== undefined) msg.signature = signature;
  return checkStatus(msg, r.path, Number.MAX_SAFE_INTEGER);
}

/** Parses untrusted bytes holding a status message. */
export function parseStatus(bytes: Uint8Array, options: Partial<EdxmlLimits> = {}): StatusMessage {
  const limits = resolveLimits(options);
  const opened = openEnvelope(bytes, limits);
  if (messageKind(opened.header) !== 'status') throw invalid('Status', 'is missing: this is a document package, not a status message');
  return readStatus(opened, limits);
}
