/**
 * The PDF signatures of documents received over the exchange, verified after they
 * arrived — outside the pull (the sync controller starts a run after each round): the
 * main PDF of every received document that has no verdict for its current bytes is
 * verified, one document at a time with the event loop free between them, and the
 * verdict (received_verifications) and its audit entry are written in one transaction.
 *
 * A document as a whole is `valid` when every signature is, `invalid` when one is,
 * `indeterminate` ("cannot tell": untrusted chain, revocation unknown offline, a file
 * that cannot be read…) otherwise, and `unsigned` when its PDF carries no signature.
 * A verdict belongs to a SHA-256: a new main file version is verified again; running
 * again without a new file does nothing.
 */
import crypto from 'node:crypto';
import type { ReceivedSignatureReason, ReceivedSignatureVerdict, SignatureCheckName } from '../api/types.js';
import type { ReceivedSignatureDetails, ReceivedSignatureEntry } from '../documents/documentRows.js';
import { createLogger } from '../log.js';
import type { TrustStore } from '../signing/trust.js';
import type { VerifyReport } from '../signing/verify.js';
import { appendAudit } from '../store/auditLog.js';
import type { Db } from '../store/database.js';
import type { FileStore } from '../store/fileStore.js';
import { cachedStatement } from '../store/statements.js';
import { getState, setState } from './state.js';

const log = createLogger('sync.signatures');

export interface VerifyReceivedOptions {
  /** Verifies one PDF (the app: signing/verify.ts verifyPdf with its trust store, offline). */
  verify: (pdfPath: string) => Promise<VerifyReport>;
  /** Documents verified at most in this run (default 200). */
  limit?: number;
  now?: () => Date;
  /** Asked before each document and before writing a verdict: true ends the run there (nothing half written). */
  shouldStop?: () => boolean;
}

export interface ReceivedVerdict {
  verdict: ReceivedSignatureVerdict;
  /** English, for logs and the audit log */
  summary: string;
  details: ReceivedSignatureDetails;
}

const checkNames = new Set<string>(['integrity', 'signature', 'signingCertificate', 'chain', 'validity', 'keyUsage', 'revocation', 'timestamp', 'modifications']);

/** `chain: issuer "…" not found` → `chain` (the verifier's reasons are `<check>: <message>`). */
function reasonCode(reason: string): SignatureCheckName | null {
  const code = reason.slice(0, Math.max(0, reason.indexOf(':')));
  return checkNames.has(code) ? (code as SignatureCheckName) : null;
}

/** The verdict on a document from the verifier's report on its PDF. */
export function judgeReport(report: VerifyReport): ReceivedVerdict {
  const signatures: ReceivedSignatureEntry[] = report.signatures.map((s) => ({
    index: s.index,
    fieldName: s.fieldName,
    signer: s.signer ? (s.signer.commonName ?? s.signer.subject) : null,
    signingTime: s.signingTime ?? null,
    verdict: s.status,
    reasons: s.reasons.map(reasonCode).filter((c): c is SignatureCheckName => c !== null),
  }));
  if (signatures.length === 0) return { verdict: 'unsigned', summary: 'The PDF carries no signature', details: { signatures, reason: null } };
  const verdict: ReceivedSignatureVerdict = signatures.some((s) => s.verdict === 'invalid')
    ? 'invalid'
    : signatures.some((s) => s.verdict === 'indeterminate')
      ? 'indeterminate'
      : 'valid';
  const name = (s: ReceivedSignatureEntry): string => `signature ${s.index} (${s.signer ?? 'no certificate'})`;
  if (verdict === 'valid') {
    return { verdict, summary: `${signatures.length === 1 ? '1 signature' : `${signatures.length} signatures`}, valid: ${signatures.map((s) => s.signer ?? '?').join('; ')}`, details: { signatures, reason: null } };
  }
  const first = report.signatures.find((s) => s.status === verdict);
  const entry = signatures.find((s) => s.verdict === verdict);
  const because = first?.reasons[0] ?? 'no reason given';
  return {
    verdict,
    summary: `${verdict === 'invalid' ? 'Invalid' : 'Cannot tell'}: ${entry ? name(entry) : 'a signature'}: ${because}`.slice(0, 2000),
    details: { signatures, reason: (entry?.reasons[0] as SignatureCheckName | undefined) ?? null },
  };
}

/** A file that could not be read (missing, not a PDF, damaged): cannot tell, and why. */
export function unreadable(error: unknown): ReceivedVerdict {
  const message = error instanceof Error ? error.message : String(error);
  const reason: ReceivedSignatureReason = 'unreadable';
  return { verdict: 'indeterminate', summary: `Cannot tell: the file could not be read for verification: ${message}`.slice(0, 2000), details: { signatures: [], reason } };
}

/** The main PDF of a document: the one the exchange sends and `signing:verify` checks. */
const mainPdfOf = (documentId: string): string =>
  `SELECT df.sha256 FROM document_files df JOIN files f ON f.sha256 = df.sha256 WHERE df.document_id = ${documentId} AND f.mime = 'application/pdf' ORDER BY df.role DESC LIMIT 1`;
const mainPdfSql = mainPdfOf('?');
const mainPdfSubquery = mainPdfOf('q.document_id');

/**
 * Received documents whose main PDF has no verdict for its current bytes, oldest first,
 * from the queue the triggers of migration 5 keep. Queued documents that need nothing
 * (no PDF, or a verdict for the current file already) leave the queue here.
 */
export function documentsToVerify(db: Db, limit: number): Array<{ documentId: number; sha256: string }> {
  const read = cachedStatement(
    db,
    `SELECT q.document_id AS documentId, rv.sha256 AS verified, (${mainPdfSubquery}) AS sha256
     FROM received_verification_queue q LEFT JOIN received_verifications rv ON rv.document_id = q.document_id
     ORDER BY q.document_id LIMIT ?`,
  );
  const dequeue = cachedStatement(db, 'DELETE FROM received_verification_queue WHERE document_id = ?');
  for (;;) {
    const rows = read.all(Math.max(limit, 500)) as Array<{ documentId: number; verified: string | null; sha256: string | null }>;
    const settled = rows.filter((r) => r.sha256 === null || r.sha256 === r.verified);
    if (settled.length > 0) db.transaction(() => settled.forEach((r) => dequeue.run(r.documentId)))();
    const due = rows.filter((r): r is { documentId: number; verified: string | null; sha256: string } => r.sha256 !== null && r.sha256 !== r.verified);
    if (due.length > 0 || settled.length === 0) return due.slice(0, limit).map(({ documentId, sha256 }) => ({ documentId, sha256 }));
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Verifies what `documentsToVerify` finds (up to `limit`), one document at a time, and
 * records each verdict with its audit entry. Returns how many verdicts were written.
 * A document whose main file changed while it was being verified is left for the next run.
 */
export async function verifyReceivedDocuments(db: Db, files: FileStore, options: VerifyReceivedOptions): Promise<number> {
  const now = (): Date => options.now?.() ?? new Date();
  const stop = (): boolean => options.shouldStop?.() === true || !db.open;
  let written = 0;
  for (const { documentId, sha256 } of documentsToVerify(db, options.limit ?? 200)) {
    await nextTurn();
    if (stop()) break;
    let result: ReceivedVerdict;
    try {
      result = judgeReport(await options.verify(files.pathOf(sha256)));
    } catch (error) {
      result = unreadable(error);
    }
    if (stop()) break;
    const at = now().toISOString();
    const wrote = db
      .transaction(() => {
        // The file changed meanwhile: it stays queued (the trigger queued it anyway) for the next run.
        if ((cachedStatement(db, mainPdfSql).pluck().get(documentId) as string | undefined) !== sha256) return false;
        cachedStatement(db, 'DELETE FROM received_verification_queue WHERE document_id = ?').run(documentId);
        const known = cachedStatement(db, 'SELECT sha256 FROM received_verifications WHERE document_id = ?').pluck().get(documentId) as string | undefined;
        if (known === sha256) return false;
        cachedStatement(
          db,
          `INSERT INTO received_verifications (document_id, sha256, verdict, summary, details, verified_at) VALUES (@documentId, @sha256, @verdict, @summary, @details, @at)
           ON CONFLICT(document_id) DO UPDATE SET sha256 = excluded.sha256, verdict = excluded.verdict, summary = excluded.summary,
             details = excluded.details, verified_at = excluded.verified_at`,
        ).run({ documentId, sha256, verdict: result.verdict, summary: result.summary, details: JSON.stringify(result.details), at });
        appendAudit(db, {
          actor: 'exchange',
          action: 'exchange.signaturesVerified',
          entity: 'document',
          entityId: documentId,
          at,
          payload: {
            verdict: result.verdict,
            summary: result.summary,
            sha256,
            signers: result.details.signatures.map((s) => ({ signer: s.signer, verdict: s.verdict, reasons: s.reasons })),
          },
        });
        return true;
      })
      .immediate();
    if (!wrote) continue;
    written += 1;
    const fields = { documentId, verdict: result.verdict, summary: result.summary };
    if (result.verdict === 'invalid') log.warn('received document: signature invalid', fields);
    else log.info('received document: signatures verified', fields);
  }
  return written;
}

/** What a trust store holds (anchors, intermediates, CRLs), as one SHA-256: it changes when an administrator adds a root or a CRL is refreshed. */
export function trustFingerprint(trust: TrustStore): string {
  const parts = [...trust.anchors.map((c) => `a${c.der.toString('base64')}`), ...trust.intermediates.map((c) => `i${c.der.toString('base64')}`), ...trust.crls.map((c) => `c${c.der.toString('base64')}`)];
  return crypto.createHash('sha256').update(parts.sort().join('\n')).digest('hex');
}

/**
 * When the trust store differs from the one the verdicts were given with, the documents
 * that could not be judged ("cannot tell": no trusted chain, revocation unknown…) are
 * queued again and their verdict dropped until checked again — so adding the national
 * roots or a fresh CRL settles what arrived before. Verdicts of valid, invalid and unsigned
 * stay. Returns how many documents were queued again (none the first time: nothing to compare).
 */
export function requeueAfterTrustChange(db: Db, fingerprint: string): number {
  return db.transaction((): number => {
    const known = getState(db, 'received_trust_fingerprint');
    if (known === fingerprint) return 0;
    setState(db, 'received_trust_fingerprint', fingerprint);
    if (known === null) return 0;
    cachedStatement(
      db,
      "INSERT OR IGNORE INTO received_verification_queue (document_id) SELECT document_id FROM received_verifications WHERE verdict = 'indeterminate'",
    ).run();
    return cachedStatement(db, "DELETE FROM received_verifications WHERE verdict = 'indeterminate'").run().changes;
  })();
}
