/**
 * edXML codec (QCVN 102:2016/BTTTT): strict builder and hostile-input-safe parser
 * for document packages and status messages.
 */
import { resolveLimits } from './constants.js';
import { readDocument, type ParseEdxmlOptions } from './document.js';
import { messageKind, openEnvelope } from './envelope.js';
import { readStatus } from './status.js';
import type { EdxmlPackage, StatusMessage } from './types.js';

export type ParsedEdxml = { kind: 'document'; document: EdxmlPackage } | { kind: 'status'; status: StatusMessage };

/** Parses either kind of message, telling which it was. */
export function parseAny(bytes: Uint8Array, options: ParseEdxmlOptions = {}): ParsedEdxml {
  const limits = resolveLimits(options);
  const opened = openEnvelope(bytes, limits);
  return messageKind(opened.header) === 'status'
    ? { kind: 'status', status: readStatus(opened, limits) }
    : { kind: 'document', document: readDocument(opened, limits, options.now ?? new Date()) };
}

export { buildEdxml, parseEdxml, type BuildEdxmlOptions, type ParseEdxmlOptions } from './document.js';
export { buildStatus, parseStatus } from './status.js';
export { type ZipPolicy } from './attachments.js';
export { safeAttachmentName, contentTypeForName } from './attachmentName.js';
export { defaultLimits, edxmlNamespace, fieldLengths, type EdxmlLimits } from './constants.js';
export {
  formatEdxmlDate,
  formatEdxmlTimestamp,
  isIsoDate,
  parseEdxmlDate,
  parseEdxmlTimestamp,
  vietnamDateOf,
} from './dates.js';
export { formatDocumentId, isOrganId, parseDocumentId, type DocumentIdParts } from './documentId.js';
export {
  businessDocTypeLabels,
  defaultStatusCodes,
  describeStatusCode,
  isStatusCodeFormat,
  priorityLabels,
  type StatusCodeInfo,
  type StatusSender,
} from './statusCodes.js';
export type * from './types.js';
