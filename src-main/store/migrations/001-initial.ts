/** Version 1: master data, documents, files, numbering series, audit log, search index. */
import type { Database } from 'better-sqlite3';
export const sql = `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE agency (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  short_name TEXT NOT NULL,
  code TEXT NOT NULL,
  place TEXT NOT NULL
) STRICT;

CREATE TABLE units (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  short_name TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE local_user (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  full_name TEXT NOT NULL,
  position TEXT NOT NULL,
  unit_id INTEGER REFERENCES units(id)
) STRICT;

CREATE TABLE external_agencies (
  id INTEGER PRIMARY KEY,
  code TEXT UNIQUE,
  name TEXT NOT NULL
) STRICT;

-- Loại văn bản (NĐ 30 Điều 7, Phụ lục III). Editable master data.
CREATE TABLE document_types (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  abbreviation TEXT,
  contested INTEGER NOT NULL DEFAULT 0,
  ordinal INTEGER NOT NULL
) STRICT;

CREATE TABLE urgency_levels (
  level INTEGER PRIMARY KEY,      -- = edXML Priority
  name TEXT NOT NULL
) STRICT;

CREATE TABLE confidentiality_levels (
  level INTEGER PRIMARY KEY,
  name TEXT NOT NULL
) STRICT;

CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
  status TEXT NOT NULL,
  type_id INTEGER NOT NULL REFERENCES document_types(id),
  code_number TEXT,
  code_notation TEXT,
  document_date TEXT,
  subject TEXT NOT NULL,
  urgency INTEGER NOT NULL DEFAULT 0 REFERENCES urgency_levels(level),
  confidentiality INTEGER NOT NULL DEFAULT 0 REFERENCES confidentiality_levels(level),
  register_year INTEGER,          -- year of the register (số đến / số đi) in Asia/Ho_Chi_Minh
  series TEXT,                    -- numbering series the number came from
  arrival_number INTEGER,
  arrival_date TEXT,
  sender_name TEXT,
  sender_key TEXT,                -- folded sender, for duplicate detection
  recipient_unit_id INTEGER REFERENCES units(id),
  recipient_person TEXT,
  due_date TEXT,
  signer_name TEXT,
  signer_position TEXT,
  recipients TEXT,
  drafting_unit_id INTEGER REFERENCES units(id),
  issued_at TEXT,
  note TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX documents_arrival_number ON documents(register_year, series, arrival_number)
  WHERE direction = 'incoming';
CREATE UNIQUE INDEX documents_issued_number ON documents(register_year, series, code_number)
  WHERE direction = 'outgoing' AND status <> 'draft';
CREATE INDEX documents_list ON documents(direction, id);
CREATE INDEX documents_duplicate ON documents(sender_key, code_number, document_date);

-- Text extracted from the document's PDF, kept apart so that list scans stay on small rows.
CREATE TABLE document_texts (
  document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  body TEXT NOT NULL
) STRICT;

CREATE TABLE files (
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mime TEXT NOT NULL
) STRICT;

CREATE TABLE document_files (
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL REFERENCES files(sha256),
  name TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'main',
  PRIMARY KEY (document_id, sha256)
) STRICT;

-- Counters of the registers: one row per (year, series). Incremented inside the
-- same write transaction that stores the numbered document.
CREATE TABLE number_series (
  year INTEGER NOT NULL,
  series TEXT NOT NULL,
  last_number INTEGER NOT NULL,
  PRIMARY KEY (year, series)
) STRICT;

-- Append-only, hash-chained: hash = sha256(prev_hash | at | actor | action | entity | entity_id | payload).
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id INTEGER,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Search indexes over folded text (see src-main/documents/fold.ts). Contentless:
-- the text lives in documents and document_texts; rowid = documents.id.
-- documents_fts holds everything; documents_meta_fts only the metadata (trích yếu,
-- số/ký hiệu, nơi gửi…), whose small doclists rank metadata hits first cheaply.
CREATE VIRTUAL TABLE documents_fts USING fts5(
  meta, body,
  content = '',
  contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 0',
  prefix = '1 2 3'
);
CREATE VIRTUAL TABLE documents_meta_fts USING fts5(
  meta,
  content = '',
  contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 0',
  prefix = '1 2 3'
);
-- Every folded word ever indexed: a longer prefix typed by the user is expanded to
-- the words it can complete, which FTS5 then walks incrementally.
CREATE TABLE search_terms (term TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
`;

/**
 * Seeds from NĐ 30/2020 (Điều 7, Phụ lục III). Contested abbreviations (sources
 * disagree: GN/BGN, TTh/BTT, GNP/NP, QyĐ) are flagged so an administrator can
 * check them against the official gazette and edit them.
 */
export const documentTypes: Array<[name: string, abbreviation: string | null, contested: boolean]> = [
  ['Nghị quyết', 'NQ', false],
  ['Quyết định', 'QĐ', false],
  ['Chỉ thị', 'CT', false],
  ['Quy chế', 'QC', false],
  ['Quy định', 'QyĐ', true],
  ['Thông cáo', 'TC', false],
  ['Thông báo', 'TB', false],
  ['Hướng dẫn', 'HD', false],
  ['Chương trình', 'CTr', false],
  ['Kế hoạch', 'KH', false],
  ['Phương án', 'PA', false],
  ['Đề án', 'ĐA', false],
  ['Dự án', 'DA', false],
  ['Báo cáo', 'BC', false],
  ['Biên bản', 'BB', false],
  ['Tờ trình', 'TTr', false],
  ['Hợp đồng', 'HĐ', false],
  ['Công văn', null, false],
  ['Công điện', 'CĐ', false],
  ['Bản ghi nhớ', 'GN', true],
  ['Bản thỏa thuận', 'TTh', true],
  ['Giấy ủy quyền', 'GUQ', false],
  ['Giấy mời', 'GM', false],
  ['Giấy giới thiệu', 'GGT', false],
  ['Giấy nghỉ phép', 'GNP', true],
  ['Phiếu gửi', 'PG', false],
  ['Phiếu chuyển', 'PC', false],
  ['Phiếu báo', 'PB', false],
  ['Thư công', null, false],
];

export const urgencyLevels = ['Thường', 'Khẩn', 'Thượng khẩn', 'Hỏa tốc', 'Hỏa tốc hẹn giờ'];
export const confidentialityLevels = ['Thường', 'Mật', 'Tối mật', 'Tuyệt mật'];

export function seed(db: Database): void {
  const type = db.prepare('INSERT INTO document_types (name, abbreviation, contested, ordinal) VALUES (?, ?, ?, ?)');
  documentTypes.forEach(([name, abbreviation, contested], i) => type.run(name, abbreviation, contested ? 1 : 0, i + 1));
  const urgency = db.prepare('INSERT INTO urgency_levels (level, name) VALUES (?, ?)');
  urgencyLevels.forEach((name, level) => urgency.run(level, name));
  const secrecy = db.prepare('INSERT INTO confidentiality_levels (level, name) VALUES (?, ?)');
  confidentialityLevels.forEach((name, level) => secrecy.run(level, name));
  db.prepare("INSERT INTO settings (key, value) VALUES ('numbering_scheme', 'single')").run();
}
