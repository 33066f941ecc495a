/**
 * Document packages (gói tin văn bản): buildEdxml / parseEdxml.
 */
import { type EdxmlLimits, resolveLimits } from './constants.js';
import { checkAttachments, readAttachments, writeAttachments, type ZipPolicy } from './attachments.js';
import { checkSignature, qualified, readSignature, writeEnvelopeRoot, writeSignature } from './commonParts.js';
import { messageKind, type OpenedEnvelope, openEnvelope } from './envelope.js';
import { invalid, tooLarge } from './fail.js';
import { checkMessageHeader, readMessageHeader, writeMessageHeader } from './messageHeader.js';
import { checkTraceHeaderList, readTraceHeaderList, writeTraceHeaderList } from './traceHeaderList.js';
import type { EdxmlPackage } from './types.js';
import { element, serializeDocument } from './xmlWriter.js';

export interface BuildEdxmlOptions extends Partial<EdxmlLimits> {
  /** `non-pdf` zips every non-PDF file as application/zip, like VNPT's library. Default `none`. */
  zipAttachments?: ZipPolicy;
  /** "Today" for the not-in-the-future check; default the current time. */
  now?: Date;
}

export interface ParseEdxmlOptions extends Partial<EdxmlLimits> {
  now?: Date;
}

/**
 * Writes a document package as UTF-8 edXML in the layout of the standards doc §1.2:
 * header (MessageHeader, TraceHeaderList, optional Signature), manifest in the
 * envelope body, Base64 payloads in AttachmentEncoded after the envelope.
 * Throws INVALID_INPUT / FILE_TOO_LARGE naming the offending element.
 */
export function buildEdxml(pkg: EdxmlPackage, options: BuildEdxmlOptions = {}): Uint8Array {
  const limits = resolveLimits(options);
  const now = options.now ?? new Date();
  if (typeof pkg !== 'object' || pkg === null) throw invalid('edXML', 'package is missing');
  const header = checkMessageHeader(pkg.header, { now, standardDocumentId: true });
  const trace = checkTraceHeaderList(pkg.traceHeaderList, true);
  const signature = checkSignature('Signature', pkg.signature, limits.maxSignatureChars);
  const attachments = checkAttachments(pkg.attachments, limits);
  const { body, encoded } = writeAttachments(attachments, options.zipAttachments ?? 'none');
  const edxmlHeader = element(qualified('edXMLHeader'), [
    writeMessageHeader(header),
    writeTraceHeaderList(trace),
    writeSignature(signature),
  ]);
  const bytes = new TextEncoder().encode(serializeDocument(writeEnvelopeRoot(edxmlHeader, body, encoded)));
  if (bytes.byteLength > limits.maxPackageBytes) {
    throw tooLarge('package', `would be ${bytes.byteLength} bytes, more than the limit of ${limits.maxPackageBytes}`, {
      limit: limits.maxPackageBytes,
      actual: bytes.byteLength,
    });
  }
  return bytes;
}

/** Reads an opened envelope known to hold a document package. */
export function readDocument(opened: OpenedEnvelope, limits: EdxmlLimits, now: Date): EdxmlPackage {
  const { attachments, ...rest } = readDocumentWith(opened, limits, now, (body, encoded) => readAttachments(body, encoded, limits));
  return { ...rest, attachments };
}

/** readDocument with the attachments read by `attachmentsOf` (the streaming reader's files). */
export function readDocumentWith<A>(
  opened: OpenedEnvelope,
  limits: EdxmlLimits,
  now: Date,
  attachmentsOf: (body: OpenedEnvelope['body'], encoded: OpenedEnvelope['root'] | undefined) => A[],
): Omit<EdxmlPackage, 'attachments'> & { attachments: A[] } {
  const header = readMessageHeader(opened.header.required('MessageHeader'), now);
  const traceHeaderList = readTraceHeaderList(opened.header.optional('TraceHeaderList'));
  const signature = readSignature(opened.header, limits.maxSignatureChars);
  const attachments = attachmentsOf(opened.body, opened.root.optional('AttachmentEncoded'));
  const pkg: Omit<EdxmlPackage, 'attachments'> & { attachments: A[] } = { header, traceHeaderList, attachments };
  if (signature !== undefined) pkg.signature = signature;
  return pkg;
}

/**
 * Parses untrusted edXML bytes into a checked package. Accepts `Bussiness` and
 * `Business`, raw and zipped payloads, ContentIds with or without `cid:`.
 * Throws INVALID_INPUT / FILE_TOO_LARGE naming the element at fault.
 */
export function parseEdxml(bytes: Uint8Array, options: ParseEdxmlOptions = {}): EdxmlPackage {
  const limits = resolveLimits(options);
  const opened = openEnvelope(bytes, limits);
  if (messageKind(opened.header) !== 'document') {
    throw invalid('MessageHeader', 'is missing: this is a status message, not a document package');
  }
  return readDocument(opened, limits, options.now ?? new Date());
}
