/** Mirrors maxUploadBytes in src-main/api/contract.ts (the renderer imports only types from main). */
const maxUploadBytes = 50 * 1024 * 1024;

export interface Upload {
  name: string;
  size: number;
  dataBase64: string;
}

export type UploadProblem = 'notPdf' | 'tooLarge';

/** Why a file cannot be uploaded as the document's PDF, or null. */
export function uploadProblem(file: { name: string; type: string; size: number }): UploadProblem | null {
  const pdf = file.type === 'application/pdf' || file.name.toLowerCase().endsWith('.pdf');
  if (!pdf) return 'notPdf';
  return file.size > maxUploadBytes ? 'tooLarge' : null;
}

/** Reads a File as Base64 (without the data: URL prefix). */
export function readAsBase64(file: File): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.onload = () => {
      const url = String(reader.result);
      resolve({ name: file.name, size: file.size, dataBase64: url.slice(url.indexOf(',') + 1) });
    };
    reader.readAsDataURL(file);
  });
}

/** Base64 → bytes, for pdf.js and downloads. */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
