/** Master data: the own agency, its units, this PC's user, external agencies, document types, numbering scheme. */
import { AppError } from '../api/errors.js';
import type { ApiParsedInput } from '../api/contract.js';
import type { Agency, CurrentUser, DocumentType, ExternalAgency, MasterData, NumberingScheme, Unit } from '../api/types.js';
import { appendAudit } from '../store/auditLog.js';
import type { Db } from '../store/database.js';
import { cachedStatement } from '../store/statements.js';

export function readMasterData(db: Db): MasterData {
  const agency = (db.prepare('SELECT name, short_name AS shortName, code, place FROM agency WHERE id = 1').get() as Agency | undefined) ?? null;
  const user =
    (db.prepare('SELECT full_name AS fullName, position, unit_id AS unitId FROM local_user WHERE id = 1').get() as CurrentUser | undefined) ?? null;
  const units = db.prepare('SELECT id, name, short_name AS shortName FROM units ORDER BY name').all() as Unit[];
  const externalAgencies = db.prepare('SELECT id, code, name FROM external_agencies ORDER BY name').all() as ExternalAgency[];
  const documentTypes = (
    db.prepare('SELECT id, name, abbreviation, contested, ordinal FROM document_types ORDER BY ordinal').all() as Array<
      Omit<DocumentType, 'contested'> & { contested: number }
    >
  ).map((t) => ({ ...t, contested: t.contested === 1 }));
  return { agency, user, units, externalAgencies, documentTypes, numberingScheme: numberingScheme(db) };
}

export function numberingScheme(db: Db): NumberingScheme {
  const value = db.prepare("SELECT value FROM settings WHERE key = 'numbering_scheme'").pluck().get();
  return value === 'per-type' ? 'per-type' : 'single';
}

export function isSetupDone(db: Db): boolean {
  return db.prepare('SELECT (SELECT count(*) FROM agency) > 0 AND (SELECT count(*) FROM local_user) > 0').pluck().get() === 1;
}

export function actorName(db: Db): string {
  return (cachedStatement(db, 'SELECT full_name FROM local_user WHERE id = 1').pluck().get() as string | undefined) ?? 'system';
}

export function requireAgency(db: Db): Agency {
  const agency = cachedStatement(db, 'SELECT name, short_name AS shortName, code, place FROM agency WHERE id = 1').get() as Agency | undefined;
  if (!agency) throw new AppError('SETUP_REQUIRED', 'The own agency is not set up yet');
  return agency;
}

export function completeSetup(db: Db, input: ApiParsedInput<'setup:complete'>): MasterData {
  db.transaction(() => {
    if (isSetupDone(db)) throw new AppError('CONFLICT', 'Setup was already completed');
    writeAgency(db, input.agency);
    const unitIds = input.units.map((u) => saveUnit(db, u));
    const unitId = input.user.unitIndex === null ? null : unitIds[input.user.unitIndex] ?? null;
    db.prepare('INSERT INTO local_user (id, full_name, position, unit_id) VALUES (1, ?, ?, ?)').run(
      input.user.fullName,
      input.user.position,
      unitId,
    );
    appendAudit(db, { actor: input.user.fullName, action: 'setup.complete', entity: 'agency', entityId: 1, payload: input.agency });
  }).immediate();
  return readMasterData(db);
}

function writeAgency(db: Db, agency: Agency): void {
  db.prepare(
    `INSERT INTO agency (id, name, short_name, code, place) VALUES (1, @name, @shortName, @code, @place)
     ON CONFLICT(id) DO UPDATE SET name = excluded.name, short_name = excluded.short_name, code = excluded.code, place = excluded.place`,
  ).run(agency);
}

export function updateAgency(db: Db, agency: Agency): MasterData {
  db.transaction(() => {
    writeAgency(db, agency);
    appendAudit(db, { actor: actorName(db), action: 'agency.update', entity: 'agency', entityId: 1, payload: agency });
  })();
  return readMasterData(db);
}

function saveUnit(db: Db, unit: { id?: number | undefined; name: string; shortName: string }): number {
  const clash = db.prepare('SELECT id FROM units WHERE short_name = ?').pluck().get(unit.shortName) as number | undefined;
  if (clash !== undefined && clash !== unit.id) throw new AppError('CONFLICT', 'Another unit has this short name', { field: 'shortName' });
  if (unit.id === undefined) {
    return Number(db.prepare('INSERT INTO units (name, short_name) VALUES (?, ?)').run(unit.name, unit.shortName).lastInsertRowid);
  }
  const changed = db.prepare('UPDATE units SET name = ?, short_name = ? WHERE id = ?').run(unit.name, unit.shortName, unit.id).changes;
  if (changed === 0) throw new AppError('NOT_FOUND', 'Unit not found');
  return unit.id;
}

export function saveUnitAudited(db: Db, unit: ApiParsedInput<'units:save'>): MasterData {
  db.transaction(() => {
    const id = saveUnit(db, unit);
    appendAudit(db, { actor: actorName(db), action: 'unit.save', entity: 'unit', entityId: id, payload: unit });
  })();
  return readMasterData(db);
}

export function saveExternalAgency(db: Db, input: ApiParsedInput<'externalAgencies:save'>): MasterData {
  db.transaction(() => {
    let id = input.id;
    if (id === undefined) {
      id = Number(db.prepare('INSERT INTO external_agencies (code, name) VALUES (?, ?)').run(input.code, input.name).lastInsertRowid);
    } else if (db.prepare('UPDATE external_agencies SET code = ?, name = ? WHERE id = ?').run(input.code, input.name, id).changes === 0) {
      throw new AppError('NOT_FOUND', 'External agency not found');
    }
    appendAudit(db, { actor: actorName(db), action: 'externalAgency.save', entity: 'external_agency', entityId: id, payload: input });
  })();
  return readMasterData(db);
}

export function saveDocumentType(db: Db, input: ApiParsedInput<'documentTypes:save'>): MasterData {
  db.transaction(() => {
    const changed = db
      .prepare('UPDATE document_types SET name = ?, abbreviation = ?, contested = 0 WHERE id = ?')
      .run(input.name, input.abbreviation || null, input.id).changes;
    if (changed === 0) throw new AppError('NOT_FOUND', 'Document type not found');
    appendAudit(db, { actor: actorName(db), action: 'documentType.save', entity: 'document_type', entityId: input.id, payload: input });
  })();
  return readMasterData(db);
}

export function setNumberingScheme(db: Db, scheme: NumberingScheme): MasterData {
  db.transaction(() => {
    db.prepare("UPDATE settings SET value = ? WHERE key = 'numbering_scheme'").run(scheme);
    appendAudit(db, { actor: actorName(db), action: 'numbering.setScheme', entity: 'settings', entityId: null, payload: { scheme } });
  })();
  return readMasterData(db);
}
