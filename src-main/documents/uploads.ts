/** Checks an uploaded file before anything is stored: Base64 shape, size, PDF signature. */
import { AppError } from '../api/errors.js';
import { maxUploadBytes } from '../api/contract.js';

export interface DecodedUpload {
  name: string;
  bytes: Buffer;
  mime: string;
}

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodeUpload(upload: { name: string; dataBase64: string }, requirePdf: boolean): DecodedUpload {
  const data = upload.dataBase64.replace(/\s+/g, '');
  if (data.length % 4 !== 0 || !base64Pattern.test(data)) throw new AppError('INVALID_INPUT', 'File data is not valid Base64', [{ path: 'file', message: 'base64' }]);
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length > maxUploadBytes) throw new AppError('FILE_TOO_LARGE', `File exceeds ${maxUploadBytes} bytes`);
  const isPdf = bytes.subarray(0, 1024).includes('%PDF-');
  if (requirePdf && !isPdf) throw new AppError('FILE_NOT_PDF', 'File is not a PDF');
  return { name: safeFileName(upload.name), bytes, mime: isPdf ? 'application/pdf' : mimeOf(upload.name) };
}

function safeFileName(name: string): string {
  const base = name.normalize('NFC').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f<>:"|?*]/g, '_').replace(/^\.+/, '').slice(0, 200);
  return cleaned || 'tep-dinh-kem';
}

function mimeOf(name: string): string {
  const ext = name.toLowerCase().split('.').pop();
  switch (ext) {
    case 'docx':
      return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    case 'doc':
      return 'application/msword';
    case 'zip':
      return 'application/zip';
    case 'xlsx':
      return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    default:
      return 'application/octet-stream';
  }
}
