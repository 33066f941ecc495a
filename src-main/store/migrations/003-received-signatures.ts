/**
 * Version 3: the verdict on the PDF signatures of each document received over the
 * exchange (sync/receivedSignatures.ts), for the file it was given on (its SHA-256):
 * a new main file version is verified again. One row per document.
 */
export const sql = `
CREATE TABLE received_verifications (
  document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL,                -- the main PDF that was verified
  verdict TEXT NOT NULL CHECK (verdict IN ('valid', 'invalid', 'indeterminate', 'unsigned')),
  summary TEXT NOT NULL,               -- English, for logs and the audit log
  details TEXT NOT NULL CHECK (json_valid(details)), -- JSON array, one entry per signature
  verified_at TEXT NOT NULL
) STRICT;
`;
