/**
 * Version 5: the received documents whose signatures need (re)checking, kept as a
 * queue by triggers — a document arriving over the exchange, or a new file attached to
 * one — so that each run after a sync reads the queue instead of every received document
 * (at 100,000 received documents the scan held the main process for half a second every
 * round). Filled at migration with every received document; entries whose verdict is
 * already for the current file leave the queue without a new verification.
 */
export const sql = `
CREATE TABLE received_verification_queue (
  document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE
) STRICT;

CREATE TRIGGER received_queue_on_receive AFTER INSERT ON exchange_documents
WHEN NEW.direction = 'incoming'
BEGIN
  INSERT OR IGNORE INTO received_verification_queue (document_id) VALUES (NEW.document_id);
END;

CREATE TRIGGER received_queue_on_file AFTER INSERT ON document_files
WHEN EXISTS (SELECT 1 FROM exchange_documents WHERE document_id = NEW.document_id AND direction = 'incoming')
BEGIN
  INSERT OR IGNORE INTO received_verification_queue (document_id) VALUES (NEW.document_id);
END;

CREATE TRIGGER received_queue_on_file_change AFTER UPDATE OF sha256, role ON document_files
WHEN EXISTS (SELECT 1 FROM exchange_documents WHERE document_id = NEW.document_id AND direction = 'incoming')
BEGIN
  INSERT OR IGNORE INTO received_verification_queue (document_id) VALUES (NEW.document_id);
END;

INSERT OR IGNORE INTO received_verification_queue (document_id)
  SELECT document_id FROM exchange_documents WHERE direction = 'incoming';
`;
