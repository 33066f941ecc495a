/**
 * Attachment names come from other agencies' software and end up as file names on
 * this PC, so they are checked like paths from the network:
 * - rejected: path separators, `.`/`..`, control and bidi-override characters,
 *   reserved Windows device names (CON, NUL, COM1…, also with an extension), names
 *   longer than 255 characters;
 * - repaired: NFC, surrounding blanks, trailing dots/blanks, characters Windows does
 *   not allow in names (`<>:"|?*` → `_`);
 * - missing or emptied: a fallback `tep-dinh-kem-<n>` with an extension from the type.
 */
import { fieldLengths } from './constants.js';
import { invalid } from './fail.js';

const extensionTypes: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  rtf: 'application/rtf',
  txt: 'text/plain',
  xml: 'application/xml',
  zip: 'application/zip',
  rar: 'application/vnd.rar',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  tif: 'image/tiff',
  tiff: 'image/tiff',
};

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** MIME type guessed from a file name; used after unzipping (the wire type was application/zip). */
export function contentTypeForName(name: string): string {
  return extensionTypes[extensionOf(name)] ?? 'application/octet-stream';
}

function extensionForType(contentType: string): string {
  const base = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const found = Object.entries(extensionTypes).find(([, type]) => type === base);
  return found ? `.${found[0]}` : '';
}

const reservedWindowsName = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;
const controlOrBidi = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/**
 * Returns a safe file name for attachment number `index` (1-based) or throws
 * INVALID_INPUT naming `path`.
 */
export function safeAttachmentName(path: string, raw: string | undefined, index: number, contentType: string): string {
  const fallback = `tep-dinh-kem-${index}${extensionForType(contentType)}`;
  if (raw === undefined) return fallback;
  if (!raw.isWellFormed()) throw invalid(path, 'contains an unpaired surrogate');
  const name = raw.normalize('NFC').trim();
  if (controlOrBidi.test(name)) throw invalid(path, 'contains control or bidirectional-override characters');
  if (/[/\\]/.test(name)) throw invalid(path, `"${name}" contains a path separator`);
  if (/^\.+$/.test(name)) throw invalid(path, `"${name}" is not a file name`);
  if ([...name].length > fieldLengths.attachmentName) {
    throw invalid(path, `is longer than ${fieldLengths.attachmentName} characters`);
  }
  const repaired = name.replace(/[<>:"|?*]/g, '_').replace(/[. ]+$/, '');
  if (reservedWindowsName.test(repaired)) throw invalid(path, `"${name}" is a reserved Windows device name`);
  return repaired === '' ? fallback : repaired;
}
