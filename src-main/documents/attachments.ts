/** Puts an uploaded file in the content-addressed store and links it to a document. */
import type { Db } from '../store/database.js';
import type { FileStore } from '../store/fileStore.js';
import type { DecodedUpload } from './uploads.js';

/** Writes the bytes (outside any transaction: atomic on its own). Returns the hash. */
export function storeUpload(files: FileStore, upload: DecodedUpload): string {
  return files.put(upload.bytes);
}

/** Links a stored file to a document; call inside the document's transaction. */
export function linkFile(db: Db, documentId: number, sha256: string, upload: DecodedUpload, role = 'main'): void {
  db.prepare('INSERT OR IGNORE INTO files (sha256, size, mime) VALUES (?, ?, ?)').run(sha256, upload.bytes.length, upload.mime);
  db.prepare('INSERT OR REPLACE INTO document_files (document_id, sha256, name, role) VALUES (?, ?, ?, ?)').run(
    documentId,
    sha256,
    upload.name,
    role,
  );
}
