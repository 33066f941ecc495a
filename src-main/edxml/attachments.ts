/**
 * Attachments (§1.5): one manifest Reference per file inside the envelope
 * (edXMLBody/edXMLManifest) and the payload OUTSIDE the envelope in
 * /edXML/AttachmentEncoded/Attachment with Base64 `edXML:ContentTransferEncoded`.
 * Payloads are either raw or `application/zip` holding one file; a zipped payload is
 * unzipped when its AttachmentName does not end in `.zip` (BKAV's receiving rule).
 */
import { edxmlNamespace, fieldLengths as len, type EdxmlLimits } from './constants.js';
import { safeAttachmentName, contentTypeForName, extensionOf } from './attachmentName.js';
import { decodeBase64Strict, encodeBase64 } from './base64.js';
import { edText, qualified } from './commonParts.js';
import { invalid, tooLarge } from './fail.js';
import { optionalText, requiredText } from './fields.js';
import type { Attachment } from './types.js';
import type { EdxmlReader } from './xmlReader.js';
import { element, textElement, type XmlElement } from './xmlWriter.js';
import { unzipSingleFile, zipSingleFile } from './zip.js';

/** `none`: every file raw (BKAV style). `non-pdf`: zip everything but PDFs (VNPT style). */
export type ZipPolicy = 'none' | 'non-pdf';

const A = 'AttachmentEncoded/Attachment';
const contentTypePattern = /^[A-Za-z0-9][\w.+-]*\/[A-Za-z0-9][\w.+-]*(\s*;.*)?$/;

const stripCid = (id: string): string => (/^cid:/i.test(id) ? id.slice(4) : id);

function isZipType(contentType: string): boolean {
  const base = contentType.split(';')[0]?.trim().toLowerCase();
  return base === 'application/zip' || base === 'application/x-zip-compressed';
}

function checkContentId(path: string, raw: string | undefined): string {
  const id = stripCid(requiredText(path, raw, len.contentId + 4));
  if (id === '' || !/^[\x21-\x7e\u00a0-\uffff]+$/.test(id) || /[<>]/.test(id)) throw invalid(path, `"${id}" is not a valid content id`);
  return id;
}

function checkContentType(path: string, raw: string | undefined): string {
  const type = requiredText(path, raw, len.contentType);
  if (!contentTypePattern.test(type)) throw invalid(path, `"${type}" is not a MIME type`);
  return type;
}

function checkCountAndTotal(count: number, total: number, limits: EdxmlLimits): void {
  if (count > limits.maxAttachments) {
    throw invalid('AttachmentEncoded', `has ${count} attachments, more than the limit of ${limits.maxAttachments}`);
  }
  if (total > limits.maxTotalAttachmentBytes) {
    throw tooLarge('AttachmentEncoded', `holds ${total} bytes in all, more than the limit of ${limits.maxTotalAttachmentBytes}`, {
      limit: limits.maxTotalAttachmentBytes,
      actual: total,
    });
  }
}

/** Checks the caller's attachments (builder). */
export function checkAttachments(list: readonly Attachment[] | undefined, limits: EdxmlLimits): Attachment[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw invalid('AttachmentEncoded', 'must be a list');
  const seen = new Set<string>();
  let total = 0;
  const checked = list.map((a, i) => {
    const path = `${A}[${i + 1}]`;
    const contentId = checkContentId(`${path}/ContentId`, a.contentId);
    if (seen.has(contentId)) throw invalid(`${path}/ContentId`, `"${contentId}" is used by two attachments`);
    seen.add(contentId);
    const contentType = checkContentType(`${path}/ContentType`, a.contentType);
    const name = safeAttachmentName(`${path}/AttachmentName`, requiredText(`${path}/AttachmentName`, a.name, len.attachmentName), i + 1, contentType);
    if (isZipType(contentType) && extensionOf(name) !== 'zip') {
      throw invalid(`${path}/ContentType`, `is application/zip but "${name}" does not end in .zip; receivers would unzip it`);
    }
    if (!(a.bytes instanceof Uint8Array)) throw invalid(`${path}/ContentTransferEncoded`, 'must be bytes');
    if (a.bytes.byteLength > limits.maxAttachmentBytes) {
      throw tooLarge(`${path}/ContentTransferEncoded`, `is ${a.bytes.byteLength} bytes, more than the limit of ${limits.maxAttachmentBytes}`, {
        limit: limits.maxAttachmentBytes,
        actual: a.bytes.byteLength,
      });
    }
    total += a.bytes.byteLength;
    const description = optionalText(`${path}/Description`, a.description, len.attachmentDescription);
    const out: Attachment = { contentId, name, contentType, bytes: a.bytes };
    if (description !== undefined) out.description = description;
    return out;
  });
  checkCountAndTotal(checked.length, total, limits);
  return checked;
}

interface WirePayload {
  attachment: Attachment;
  wireType: string;
  payload: Uint8Array;
}

function toWire(a: Attachment, policy: ZipPolicy): WirePayload {
  const isPdf = a.contentType.toLowerCase().startsWith('application/pdf') || extensionOf(a.name) === 'pdf';
  if (policy === 'non-pdf' && !isPdf && !isZipType(a.contentType)) {
    return { attachment: a, wireType: 'application/zip', payload: zipSingleFile(a.name, a.bytes) };
  }
  return { attachment: a, wireType: a.contentType, payload: a.bytes };
}

/** edXMLBody with the manifest, and the AttachmentEncoded block (undefined when there are no files). */
export function writeAttachments(list: readonly Attachment[], policy: ZipPolicy): { body: XmlElement; encoded: XmlElement | undefined } {
  const wire = list.map((a) => toWire(a, policy));
  const q = qualified;
  const body = element(q('edXMLBody'), [
    element(
      q('edXMLManifest'),
      wire.map(({ attachment: a, wireType }) =>
        element(q('Reference'), [
          edText('ContentId', `cid:${a.contentId}`),
          edText('ContentType', wireType),
          edText('Description', a.description),
          edText('AttachmentName', a.name),
        ]),
      ),
      { version: '1.0' },
    ),
  ]);
  if (wire.length === 0) return { body, encoded: undefined };
  const encoded = element(
    'AttachmentEncoded',
    wire.map(({ attachment: a, wireType, payload }) =>
      element('Attachment', [
        textElement('ContentId', `cid:${a.contentId}`),
        textElement('AttachmentName', a.name),
        textElement('Description', a.description),
        textElement('ContentType', wireType),
        textElement(q('ContentTransferEncoded'), encodeBase64(payload), { 'xmlns:edXML': edxmlNamespace }),
      ]),
    ),
  );
  return { body, encoded };
}

interface ManifestEntry {
  path: string;
  contentId: string;
  contentType?: string;
  description?: string;
}

function readManifest(body: EdxmlReader | undefined): ManifestEntry[] {
  const refs = body?.optional('edXMLManifest')?.all('Reference') ?? [];
  return refs.map((ref) => ({
    path: ref.path,
    contentId: checkContentId(ref.pathOf('ContentId'), ref.textOf('ContentId')),
    contentType: ref.textOf('ContentType'),
    description: ref.textOf('Description'),
  }));
}

/** What a payload reader made of one ContentTransferEncoded element. */
export interface PayloadResult<T> {
  /** Size in bytes after decoding and, when zipped, inflating. */
  size: number;
  value: T;
}

/**
 * Decodes one payload. `unzip` tells whether the wire type is a zip to inflate (the name
 * does not end in .zip); `remaining` is what the total limit still allows.
 */
export type PayloadReader<T> = (encodedText: EdxmlReader, unzip: boolean, remaining: number) => PayloadResult<T>;

/** Attachment whose bytes are held by a payload reader's value (e.g. a file on disk). */
export type AttachmentWith<T> = Omit<Attachment, 'bytes'> & { size: number; value: T };

/** The in-memory reader: strict Base64 of the element's text, then the zip rules. */
export function decodePayloadInMemory(encodedText: EdxmlReader, unzip: boolean, remaining: number, limits: EdxmlLimits): PayloadResult<Uint8Array> {
  let bytes = decodeBase64Strict(encodedText.path, encodedText.text(), limits.maxAttachmentBytes);
  if (unzip) bytes = unzipSingleFile(bytes, encodedText.path, Math.min(limits.maxAttachmentBytes, Math.max(0, remaining)));
  return { size: bytes.byteLength, value: bytes };
}

/**
 * Reads and decodes all attachments. Sizes are checked from the Base64 length before
 * decoding and from the ZIP directory / while inflating before unzipping.
 */
export function readAttachments(body: EdxmlReader | undefined, encoded: EdxmlReader | undefined, limits: EdxmlLimits): Attachment[] {
  return readAttachmentsWith(body, encoded, limits, (e, unzip, remaining) => decodePayloadInMemory(e, unzip, remaining, limits)).map(
    ({ value, size: _size, ...rest }) => ({ ...rest, bytes: value }),
  );
}

/**
 * The checks of readAttachments with the payload decoding left to `decode` (the
 * streaming reader hands in payloads it already decoded to disk). Same order of checks,
 * same errors.
 */
export function readAttachmentsWith<T>(
  body: EdxmlReader | undefined,
  encoded: EdxmlReader | undefined,
  limits: EdxmlLimits,
  decode: PayloadReader<T>,
): Array<AttachmentWith<T>> {
  const manifest = readManifest(body);
  const items = encoded?.all('Attachment') ?? [];
  checkCountAndTotal(items.length, 0, limits);
  const byId = new Map(manifest.map((m) => [m.contentId, m]));
  if (byId.size !== manifest.length) throw invalid('edXMLBody/edXMLManifest', 'lists the same ContentId twice');
  const seen = new Set<string>();
  let total = 0;
  const attachments = items.map((item, i) => {
    const contentId = checkContentId(item.pathOf('ContentId'), item.textOf('ContentId'));
    if (seen.has(contentId)) throw invalid(item.pathOf('ContentId'), `"${contentId}" is used by two attachments`);
    seen.add(contentId);
    const ref = byId.get(contentId);
    if (ref === undefined) throw invalid(item.pathOf('ContentId'), `"${contentId}" is not listed in edXMLBody/edXMLManifest`);
    const wireType = checkContentType(item.pathOf('ContentType'), item.textOf('ContentType') ?? ref.contentType);
    const rawName = optionalText(item.pathOf('AttachmentName'), item.textOf('AttachmentName'), len.attachmentName + 100);
    const name = safeAttachmentName(item.pathOf('AttachmentName'), rawName, i + 1, wireType);
    const encodedText = item.optional('ContentTransferEncoded');
    if (encodedText === undefined) throw invalid(item.pathOf('ContentTransferEncoded'), 'is missing');
    const remaining = limits.maxTotalAttachmentBytes - total;
    const unzip = isZipType(wireType) && extensionOf(name) !== 'zip';
    const { size, value } = decode(encodedText, unzip, remaining);
    const contentType = unzip ? contentTypeForName(name) : wireType;
    total += size;
    checkCountAndTotal(i + 1, total, limits);
    const description = optionalText(item.pathOf('Description'), item.textOf('Description') ?? ref.description, len.attachmentDescription);
    const out: AttachmentWith<T> = { contentId, name, contentType, size, value };
    if (description !== undefined) out.description = description;
    return out;
  });
  for (const m of manifest) {
    if (!seen.has(m.contentId)) throw invalid(`${m.path}/ContentId`, `"cid:${m.contentId}" has no matching ${A}`);
  }
  return attachments;
}
