/**
 * Zipped attachment payloads (VNPT sends non-PDF files as application/zip holding one
 * file). Reading is done here rather than with a general unzip because the input is
 * hostile: the central directory is bounds-checked, only one stored/deflated file is
 * accepted, the declared size is checked against the limit before inflating, and
 * inflating itself is capped (zlib `maxOutputLength`) so a lying header cannot make
 * it produce more than the declared size. Writing uses fflate.
 */
import zlib from 'node:zlib';
import { zipSync } from 'fflate';
import { invalid, tooLarge } from './fail.js';

const endOfCentralDirectory = 0x06054b50;
const centralDirectoryEntry = 0x02014b50;
const localFileHeader = 0x04034b50;
const maxEntries = 16;

/** A ZIP with one file entry, as VNPT and BKAV write it. */
export function zipSingleFile(name: string, bytes: Uint8Array): Uint8Array {
  // Fixed time stamp so that the same package always gives the same bytes.
  return zipSync({ [name]: [bytes, { level: 6, mtime: new Date(2000, 0, 1) }] });
}

function findEndOfCentralDirectory(view: DataView, path: string): number {
  const earliest = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let at = view.byteLength - 22; at >= earliest; at--) {
    if (view.getUint32(at, true) === endOfCentralDirectory) return at;
  }
  throw invalid(path, 'is declared application/zip but is not a ZIP archive');
}

interface Entry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function readEntries(bytes: Uint8Array, path: string): Entry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndOfCentralDirectory(view, path);
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0 || count !== view.getUint16(eocd + 8, true)) {
    throw invalid(path, 'is a multi-volume ZIP archive, which is not supported');
  }
  if (count === 0xffff || cdOffset === 0xffffffff) throw invalid(path, 'is a ZIP64 archive, which is not supported');
  if (count > maxEntries) throw invalid(path, `is a ZIP archive with ${count} entries (at most ${maxEntries} accepted)`);
  if (cdOffset + cdSize > eocd) throw invalid(path, 'is a damaged ZIP archive (central directory out of bounds)');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const entries: Entry[] = [];
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || view.getUint32(at, true) !== centralDirectoryEntry) {
      throw invalid(path, 'is a damaged ZIP archive (bad central directory entry)');
    }
    const nameLength = view.getUint16(at + 28, true);
    const next = at + 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (next > eocd) throw invalid(path, 'is a damaged ZIP archive (central directory entry out of bounds)');
    let name: string;
    try {
      name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    } catch {
      name = '?'; // legacy code page name; only used to spot directories
    }
    entries.push({
      name,
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
    });
    at = next;
  }
  return entries;
}

/**
 * Extracts the single file of a ZIP payload, never producing more than `maxBytes`.
 * Directory entries are ignored; zero or several files are rejected.
 */
export function unzipSingleFile(bytes: Uint8Array, path: string, maxBytes: number): Uint8Array {
  const files = readEntries(bytes, path).filter((e) => !e.name.endsWith('/'));
  if (files.length !== 1) throw invalid(path, `is a ZIP archive with ${files.length} files; exactly one is expected`);
  const entry = files[0] as Entry;
  if (entry.flags & 0x1) throw invalid(path, 'is an encrypted ZIP archive');
  if (entry.size > maxBytes) {
    throw tooLarge(path, `unzips to ${entry.size} bytes, more than the limit of ${maxBytes}`, { limit: maxBytes, actual: entry.size });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const local = entry.localOffset;
  if (local + 30 > bytes.byteLength || view.getUint32(local, true) !== localFileHeader) {
    throw invalid(path, 'is a damaged ZIP archive (bad local header)');
  }
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.byteLength) throw invalid(path, 'is a damaged ZIP archive (data out of bounds)');
  const data = bytes.subarray(start, end);
  let output: Uint8Array;
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw invalid(path, 'is a damaged ZIP archive (stored size mismatch)');
    output = data.slice();
  } else if (entry.method === 8) {
    try {
      // Inflating stops as soon as the output would pass the declared size.
      const inflated = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) });
      output = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw tooLarge(path, `inflates beyond its declared size of ${entry.size} bytes (zip bomb?)`, { limit: entry.size });
      }
      throw invalid(path, 'is a damaged ZIP archive (deflate data is corrupt)');
    }
  } else {
    throw invalid(path, `uses ZIP compression method ${entry.method}; only stored and deflate are supported`);
  }
  if (output.byteLength !== entry.size) throw invalid(path, 'is a damaged ZIP archive (size mismatch)');
  if (zlib.crc32(output) !== entry.crc) throw invalid(path, 'is a damaged ZIP archive (CRC mismatch)');
  return output;
}
