/**
 * Version 2: sync with the provincial server. Outbox (written in the same transaction
 * as the change it carries), received deliveries, the edXML identity of exchanged
 * documents, statuses received, recall/update/replace requests, register leases,
 * documents replicated from the agency's other PCs, and the engine's cursors.
 */
export const sql = `
CREATE TABLE sync_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,            -- idempotency key sent to the server
  kind TEXT NOT NULL CHECK (kind IN ('package', 'ack', 'feed', 'numbers')),
  payload TEXT NOT NULL,               -- JSON
  blob_sha256 TEXT,                    -- edXML bytes in the file store, for kind = 'package'
  document_id INTEGER REFERENCES documents(id),
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'rejected')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at TEXT NOT NULL,
  done_at TEXT
) STRICT;
CREATE INDEX outbox_pending ON outbox(state, next_attempt_at, id);

CREATE TABLE exchange_inbox (
  delivery_key TEXT PRIMARY KEY,       -- the transport's delivery id: a delivery is committed once
  kind TEXT NOT NULL,
  business_type INTEGER NOT NULL,
  edxml_document_id TEXT NOT NULL,
  sender_code TEXT NOT NULL,
  document_id INTEGER REFERENCES documents(id),
  outcome TEXT NOT NULL,
  received_at TEXT NOT NULL
) STRICT;

CREATE TABLE exchange_documents (
  document_id INTEGER PRIMARY KEY REFERENCES documents(id),
  edxml_document_id TEXT NOT NULL,
  sender_code TEXT NOT NULL,
  sender_name TEXT,
  direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
  promulgation_date TEXT NOT NULL,
  code TEXT NOT NULL,
  recipients TEXT,                     -- JSON array of agency codes (outgoing)
  UNIQUE (sender_code, edxml_document_id)
) STRICT;

CREATE TABLE exchange_statuses (
  id INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  organ_id TEXT NOT NULL,
  status_code TEXT NOT NULL,
  description TEXT,
  at TEXT NOT NULL,
  delivery_key TEXT UNIQUE
) STRICT;
CREATE INDEX exchange_statuses_document ON exchange_statuses(document_id, id);

CREATE TABLE exchange_requests (
  id INTEGER PRIMARY KEY,
  delivery_key TEXT NOT NULL UNIQUE,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  new_document_id INTEGER REFERENCES documents(id),
  business_type INTEGER NOT NULL CHECK (business_type IN (1, 2, 3)),
  reason TEXT,
  changes TEXT,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'agreed', 'refused')),
  answered_at TEXT,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE register_leases (
  year INTEGER NOT NULL,
  series TEXT NOT NULL,
  start_number INTEGER NOT NULL,
  acquired_at TEXT NOT NULL,
  PRIMARY KEY (year, series)
) STRICT;

CREATE TABLE feed_links (
  uid TEXT PRIMARY KEY,                -- '<origin pc>:<origin document id>'
  document_id INTEGER NOT NULL UNIQUE REFERENCES documents(id),
  seq INTEGER NOT NULL
) STRICT;
`;
