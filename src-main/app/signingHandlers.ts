/**
 * Signing channels: verify the signatures of a stored PDF (offline with cached CRLs;
 * with `ocsp: true` also over OCSP, answers kept in `<dataDir>/signing/ocsp` — the
 * cache `vanthu verify --ocsp --data-dir` shares), list tokens and certificates, and
 * sign a document's main PDF with a token (PAdES, incremental), storing the result as
 * the document's new main file version.
 *
 * The PIN arrives with one `signing:sign` call, goes to the token worker for that one
 * signature (tokenSigner), and is never logged, stored or echoed back: every error of
 * the call is mapped to a stable code and scrubbed of the PIN before it leaves.
 * A failed signature leaves the store unchanged: the signed file is written to a
 * temporary name by signPdf, and only a complete one enters the file store and the
 * document (one transaction with its audit entry).
 *
 * `signing:placement` tells the sign dialog where the signature would go without a
 * placement (signing/placement.ts, the same function `sign` and `vanthu sign` use), or a default place when
 * the layout does not say; the user moves it in the preview and `sign` gets it back.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Handlers, SignInput, SignPlacement, SignPlacementInput } from '../api/contract.js';
import { AppError, type ErrorCode } from '../api/errors.js';
import type { CertificateView, OcspView, SignatureCheckName, SignResult, TokenList, VerifyResult } from '../api/types.js';
import { bundledTrustDir, chainFor, pickCertificate } from '../cli/signCommands.js';
import { loadDocument } from '../documents/documentRows.js';
import { actorName, requireAgency } from '../documents/masterData.js';
import { createLogger } from '../log.js';
import { appearance } from '../signing/appearance.js';
import { certParts, nameAttribute } from '../signing/der.js';
import { readLayout } from '../signing/layout.js';
import { fillNumber, reserveNumberFields } from '../signing/numbering.js';
import type { OcspOptions } from '../signing/ocsp.js';
import { ocspCacheDir, ocspFileCache } from '../signing/ocspCache.js';
import { signPdf, type SignPdfOptions } from '../signing/pades.js';
import { automaticPlacement, fallbackPlacement, isLayoutNotFound, numberFieldSlots, pageSizes, stampLines, type Placement } from '../signing/placement.js';
import { vnIso } from '../signing/time.js';
import { moduleCandidates, type ModuleCandidate } from '../signing/token/modules.js';
import type { TokenInfo } from '../signing/token/protocol.js';
import { TokenService, tokenSigner } from '../signing/token/service.js';
import type { WorkerLauncher } from '../signing/token/workerProcess.js';
import { defaultTrustSources, loadTrustStore, type TrustStore } from '../signing/trust.js';
import { verifyPdf, type OcspAnswer, type VerifyOptions } from '../signing/verify.js';
import { appendAudit } from '../store/auditLog.js';
import type { Db } from '../store/database.js';
import type { FileStore } from '../store/fileStore.js';

const log = createLogger('app.signing');

export interface SigningOptions {
  /** PKCS#11 module paths tried before the known ones and `<dataDir>/signing/modules.json`. */
  modules?: string[];
  /** Compiled token worker (default: VANTHU_TOKEN_WORKER, else worker.js beside the token service). */
  workerPath?: string;
  /** Environment of the worker process (SOFTHSM2_CONF…). */
  env?: NodeJS.ProcessEnv;
  /** How the worker process starts: fork by default; the Electron shell passes a utilityProcess launcher. */
  launch?: WorkerLauncher;
  /** More trust anchors / CRL files or folders, besides assets/trust and `<dataDir>/signing/{trust,crl}`. */
  trust?: { certs?: string[]; crls?: string[] };
  callTimeoutMs?: number;
  signTimeoutMs?: number;
  /** `signing:verify` with `ocsp: true`: a responder to ask instead of the certificates' AIA (an agency's own), and the bound of each exchange. */
  ocsp?: { url?: string; timeoutMs?: number };
  now?: () => Date;
}

type SigningChannel = 'signing:verify' | 'signing:listTokens' | 'signing:sign' | 'signing:placement';

export interface SigningGroup {
  handlers: Pick<Handlers, SigningChannel>;
  /** Stops the token worker process. */
  close(): Promise<void>;
}

/** Reasons of the token service / signing library that the UI tells apart. */
const reasonCodes: Record<string, ErrorCode> = {
  PIN_INCORRECT: 'PIN_INCORRECT',
  PIN_LOCKED: 'PIN_LOCKED',
  TOKEN_REMOVED: 'TOKEN_REMOVED',
  TOKEN_NOT_FOUND: 'TOKEN_REMOVED',
  TOKEN_TIMEOUT: 'TOKEN_TIMEOUT',
  CERT_EXPIRED: 'CERT_EXPIRED',
  MODIFIED_AFTER_SIGNATURE: 'MODIFIED_AFTER_SIGNATURE',
};

const checkNames: SignatureCheckName[] = ['integrity', 'signature', 'signingCertificate', 'chain', 'validity', 'keyUsage', 'revocation', 'timestamp', 'modifications'];

const dayMs = 86_400_000;

/** Replaces every occurrence of the PIN in strings of a JSON-like value (defence in depth). */
export function scrubSecret<T>(value: T, secret: string): T {
  if (secret.length < 4) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.split(secret).join('[redacted]');
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** A signing failure as a stable code the UI translates; the PIN never survives in it. */
export function mapSigningError(error: unknown, pin: string): AppError {
  if (!(error instanceof AppError)) {
    log.error('signing failed', { error: scrubSecret(error instanceof Error ? error.name : 'unknown', pin) });
    return new AppError('INTERNAL', 'Signing failed');
  }
  const details = (error.details && typeof error.details === 'object' ? error.details : {}) as Record<string, unknown>;
  const reason = typeof details['reason'] === 'string' ? details['reason'] : undefined;
  const code: ErrorCode = (reason !== undefined ? reasonCodes[reason] : undefined) ?? error.code;
  let outDetails: unknown = error.details;
  if (code === 'PIN_INCORRECT' || code === 'PIN_LOCKED') {
    const pinFlags = (details['pin'] ?? {}) as Record<string, unknown>;
    outDetails = {
      reason,
      pin: { countLow: pinFlags['countLow'] === true, finalTry: pinFlags['finalTry'] === true, locked: pinFlags['locked'] === true || code === 'PIN_LOCKED' },
    };
  }
  return new AppError(code, scrubSecret(error.message, pin), scrubSecret(outDetails, pin));
}

/** NĐ 30 Phụ lục I: days below 10 and months 1, 2 get a leading zero. */
export function dayAndMonth(isoDay: string): { day: string; month: string } {
  const [, m = '1', d = '1'] = isoDay.split('-');
  const day = Number(d);
  const month = Number(m);
  return { day: day < 10 ? `0${day}` : String(day), month: month < 3 ? `0${month}` : String(month) };
}

function ocspView(a: OcspAnswer): OcspView {
  return {
    certificate: a.certificate,
    status: a.status,
    producedAt: a.producedAt ?? null,
    nextUpdate: a.nextUpdate ?? null,
    revokedAt: a.revokedAt ?? null,
    fromCache: a.fromCache,
    failure: a.failure ?? null,
    message: a.message ?? null,
  };
}

/** số/ký hiệu as the stamps write it ("05/QĐ-UBND"), empty before the document has one. */
export function documentCode(doc: { codeNumber: string | null; codeNotation: string | null }): string {
  return [doc.codeNumber, doc.codeNotation].filter(Boolean).join('/');
}

interface MainFile {
  sha256: string;
  name: string;
}

/** The document's main PDF: the same choice the exchange makes when it sends the document. */
export function mainPdf(db: Db, documentId: number): MainFile | undefined {
  return db
    .prepare(
      "SELECT df.sha256, df.name FROM document_files df JOIN files f ON f.sha256 = df.sha256 WHERE df.document_id = ? AND f.mime = 'application/pdf' ORDER BY df.role DESC LIMIT 1",
    )
    .get(documentId) as MainFile | undefined;
}

/** The trust store the app verifies with: assets/trust, `<dataDir>/signing/{trust,crl}` and the configured extras (read now). */
/** Where the app's trust store comes from: the bundled folder, the administrator's folders in the data dir, and the options' extra sources. */
export function appTrustSources(dataDir: string, options: Pick<SigningOptions, 'trust'> = {}): { certs: string[]; crls: string[] } {
  const base = defaultTrustSources({ bundled: bundledTrustDir(), dataDir });
  return { certs: [...base.certs, ...(options.trust?.certs ?? [])], crls: [...base.crls, ...(options.trust?.crls ?? [])] };
}

export function appTrustStore(dataDir: string, options: Pick<SigningOptions, 'trust'> = {}): TrustStore {
  return loadTrustStore(appTrustSources(dataDir, options));
}

/** The options of an offline verification, as `signing:verify` without `ocsp` builds them: cached CRLs, no OCSP. */
export function offlineVerifyOptions(dataDir: string, options: Pick<SigningOptions, 'trust' | 'now'> = {}): VerifyOptions {
  return { trust: appTrustStore(dataDir, options), now: options.now?.() ?? new Date() };
}

export function createSigningHandlers(db: Db, files: FileStore, dataDir: string, options: SigningOptions = {}): SigningGroup {
  const env = options.env ?? process.env;
  const now = (): Date => options.now?.() ?? new Date();
  let service: TokenService | undefined;
  let serviceKey = '';
  let candidates: ModuleCandidate[] = [];

  const trust = (): TrustStore => appTrustStore(dataDir, options);

  /** The token service over the modules found now (restarted when the module list changed). */
  const tokens = (): TokenService | undefined => {
    candidates = moduleCandidates({ dataDir, extra: options.modules, env });
    const key = candidates.map((c) => c.path).join('\u0000');
    if (service && key === serviceKey) return service;
    if (service) void service.close();
    service = undefined;
    serviceKey = key;
    if (candidates.length === 0) return undefined;
    service = new TokenService({
      modules: candidates.map((c) => c.path),
      workerPath: options.workerPath ?? (env['VANTHU_TOKEN_WORKER'] || undefined),
      env,
      launch: options.launch,
      pollMs: 0,
      callTimeoutMs: options.callTimeoutMs,
      signTimeoutMs: options.signTimeoutMs,
    });
    return service;
  };

  const certificateView = (c: TokenInfo['certificates'][number]): CertificateView => {
    const at = now();
    const notAfter = new Date(c.notAfter);
    const notBefore = new Date(c.notBefore);
    const daysLeft = Math.floor((notAfter.getTime() - at.getTime()) / dayMs);
    const forSigning = !c.keyUsage || c.keyUsage.includes('digitalSignature') || c.keyUsage.includes('nonRepudiation');
    let commonName: string | null = null;
    try {
      commonName = nameAttribute(certParts(Buffer.from(c.der, 'base64')).subject, 'CN') ?? null;
    } catch {
      commonName = null;
    }
    const warning = notAfter < at ? 'expired' : notBefore > at ? 'notYetValid' : !forSigning ? 'notForSigning' : daysLeft <= 30 ? 'expiresSoon' : null;
    return {
      id: c.id,
      label: c.label,
      subject: c.subject,
      commonName,
      issuer: c.issuer,
      serial: c.serial,
      notBefore: c.notBefore,
      notAfter: c.notAfter,
      keyType: c.keyType,
      daysLeft,
      warning,
      usable: c.keyVisible && forSigning && notAfter >= at && notBefore <= at,
    };
  };

  const listTokens = async (): Promise<TokenList> => {
    const s = tokens();
    const modules = candidates.map((c) => ({ path: c.path, vendor: c.vendor, source: c.source }));
    if (!s) return { modules, tokens: [] };
    const found = await s.listTokens({ reinitialize: true });
    return {
      modules,
      tokens: found.map((t) => ({
        module: t.module,
        vendor: candidates.find((c) => c.path === t.module)?.vendor ?? '',
        label: t.label,
        serial: t.serial,
        manufacturer: t.manufacturer,
        model: t.model,
        pin: t.pin,
        certificates: t.certificates.filter((c) => !c.isCa).map(certificateView),
      })),
    };
  };

  /** Offline: cached CRLs only. Online (`ocsp`): OCSP where no cached CRL decides, with the answers kept in `<dataDir>/signing/ocsp`. */
  const verify = async (input: ({ documentId: number } | { sha256: string }) & { ocsp: boolean }): Promise<VerifyResult> => {
    let documentId: number | null = null;
    let target: MainFile | undefined;
    if ('documentId' in input) {
      documentId = input.documentId;
      if (!db.prepare('SELECT 1 FROM documents WHERE id = ?').get(documentId)) throw new AppError('NOT_FOUND', 'Document not found');
      target = mainPdf(db, documentId);
      if (!target) throw new AppError('NOT_FOUND', 'The document has no PDF', { reason: 'NO_PDF' });
    } else {
      const row = db
        .prepare('SELECT df.sha256, df.name, f.mime FROM document_files df JOIN files f ON f.sha256 = df.sha256 WHERE df.sha256 = ? LIMIT 1')
        .get(input.sha256) as (MainFile & { mime: string }) | undefined;
      if (!row) throw new AppError('NOT_FOUND', 'File not found');
      if (row.mime !== 'application/pdf') throw new AppError('FILE_NOT_PDF', 'Not a PDF');
      target = row;
    }
    let report;
    try {
      const ocsp: OcspOptions | undefined = input.ocsp ? { ...options.ocsp, cache: ocspFileCache(ocspCacheDir(dataDir)) } : undefined;
      report = await verifyPdf(files.pathOf(target.sha256), { ...offlineVerifyOptions(dataDir, options), ...(ocsp ? { ocsp } : {}) });
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('FILE_NOT_PDF', 'The PDF could not be read for verification', { reason: 'PDF_UNREADABLE' });
    }
    return {
      documentId,
      sha256: target.sha256,
      fileName: target.name,
      online: input.ocsp,
      signatures: report.signatures.map((s) => ({
        index: s.index,
        fieldName: s.fieldName,
        status: s.status,
        reasons: s.reasons,
        signer: s.signer
          ? { commonName: s.signer.commonName ?? null, subject: s.signer.subject, issuer: s.signer.issuer, serial: s.signer.serial, notBefore: s.signer.notBefore, notAfter: s.signer.notAfter }
          : null,
        signingTime: s.signingTime ?? null,
        signingTimeSource: s.signingTimeSource ?? null,
        coversWholeDocument: s.coversWholeDocument,
        pageIndex: s.pageIndex ?? null,
        checks: checkNames.map((name) => ({ name, state: s.checks[name].state, message: s.checks[name].message })),
        ocsp: s.ocsp ? s.ocsp.map(ocspView) : null,
      })),
    };
  };

  /** The certificate's CN, for the signer's name when the document names none; undefined when the token cannot tell. */
  const certificateName = async (tokenSerial: string | undefined, certId: string | undefined): Promise<string | undefined> => {
    if (!tokenSerial) return undefined;
    try {
      const token = (await tokens()?.listTokens())?.find((t) => t.serial === tokenSerial);
      const cert = token ? (certId ? token.certificates.find((c) => c.id === certId) : pickCertificate(token, undefined, now())) : undefined;
      return cert ? nameAttribute(certParts(Buffer.from(cert.der, 'base64')).subject, 'CN') : undefined;
    } catch (error) {
      log.info('certificate name not available for placement', { code: error instanceof AppError ? error.code : 'unknown' });
      return undefined;
    }
  };

  /** Where `sign` would put the signature without a placement, or a default place (auto: false). */
  const placement = async (input: SignPlacementInput): Promise<SignPlacement> => {
    const doc = loadDocument(db, input.documentId);
    if (!doc) throw new AppError('NOT_FOUND', 'Document not found');
    const main = mainPdf(db, doc.id);
    if (!main) throw new AppError('NOT_FOUND', 'The document has no PDF to sign', { reason: 'NO_PDF' });
    const source = files.pathOf(main.sha256);
    let pages;
    try {
      pages = pageSizes(source);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('FILE_NOT_PDF', 'The PDF could not be read', { reason: 'PDF_UNREADABLE' });
    }
    if (pages.length === 0) throw new AppError('FILE_NOT_PDF', 'The PDF has no page', { reason: 'PDF_UNREADABLE' });
    const lines = input.as === 'appendix' || input.as === 'copy' ? stampLines(input.as, { code: documentCode(doc), agency: requireAgency(db).name, when: now() }) : [];
    const signerName = input.as === 'signer' ? (doc.signerName ?? (await certificateName(input.tokenSerial, input.certId))) : undefined;
    let found: Placement;
    let auto = true;
    try {
      found = await automaticPlacement({ mode: input.as, source, signerName, lines });
    } catch (error) {
      if (!isLayoutNotFound(error)) throw error;
      found = fallbackPlacement(input.as, pages, lines);
      auto = false;
    }
    const size = pages[found.page] ?? pages[0] ?? { width: 595, height: 842 };
    const round = (n: number): number => Math.round(n * 100) / 100;
    return {
      page: found.page + 1,
      rect: [round(found.rect[0]), round(found.rect[1]), round(found.rect[2]), round(found.rect[3])],
      pageSize: { width: round(size.width), height: round(size.height) },
      auto,
      ...(auto ? {} : { reason: 'LAYOUT_NOT_FOUND' }),
      sha256: main.sha256,
    };
  };

  const sign = async (input: SignInput): Promise<SignResult> => {
    const tmpDir = path.join(dataDir, 'signing', 'tmp');
    const temps: string[] = [];
    const tempFile = (what: string): string => {
      const f = path.join(tmpDir, `${what}-${crypto.randomBytes(8).toString('hex')}.pdf`);
      temps.push(f);
      return f;
    };
    try {
      const doc = loadDocument(db, input.documentId);
      if (!doc) throw new AppError('NOT_FOUND', 'Document not found');
      if ((input.as === 'signer' || input.as === 'agency') && doc.direction !== 'outgoing') {
        throw new AppError('CONFLICT', 'Approval and agency signatures are for outgoing documents', { reason: 'NOT_OUTGOING' });
      }
      if (input.as === 'agency' && (doc.status !== 'issued' || !doc.codeNumber || !doc.documentDate)) {
        throw new AppError('CONFLICT', 'The document must be issued (numbered and dated) before the agency signs it', { reason: 'NOT_ISSUED' });
      }
      const main = mainPdf(db, doc.id);
      if (!main) throw new AppError('NOT_FOUND', 'The document has no PDF to sign', { reason: 'NO_PDF' });
      const s = tokens();
      if (!s) throw new AppError('NOT_FOUND', 'No PKCS#11 module (token driver) was found on this computer', { reason: 'NO_MODULE' });
      const token = (await s.listTokens({ reinitialize: true })).find((t) => t.serial === input.tokenSerial);
      if (!token) throw new AppError('NOT_FOUND', 'The token is not connected', { reason: 'TOKEN_REMOVED' });
      const cert = pickCertificate(token, input.certId, now());
      const leaf = certParts(Buffer.from(cert.der, 'base64'));
      const store = trust();
      const pool = [...token.certificates.filter((c) => c.isCa).map((c) => certParts(Buffer.from(c.der, 'base64'))), ...store.intermediates, ...store.anchors];
      const signer = tokenSigner(s, token, cert, input.pin, chainFor(leaf, pool));
      const commonName = nameAttribute(leaf.subject, 'CN') ?? '';
      const agencyName = requireAgency(db).name;
      fs.mkdirSync(tmpDir, { recursive: true });

      // The agency signs after the clerk's number fills the fields reserved at the signer's step.
      let source = files.pathOf(main.sha256);
      let filled: string[] = [];
      if (input.as === 'agency') {
        const { day, month } = dayAndMonth(doc.documentDate ?? '');
        const numbered = tempFile('numbered');
        try {
          filled = (await fillNumber({ input: source, output: numbered, values: { number: doc.codeNumber ?? '', day, month } })).filled;
          source = numbered;
        } catch (error) {
          const reason = error instanceof AppError ? (error.details as { reason?: string } | undefined)?.reason : undefined;
          if (reason !== 'NUMBER_FIELD_MISSING' && reason !== 'NUMBER_ALREADY_FILLED') throw error;
          log.info('number fields not filled', { documentId: doc.id, reason });
        }
      }

      const when = now();
      const output = tempFile('signed');
      const signOptions: SignPdfOptions = { input: source, output, signer, signingTime: when, location: requireAgency(db).place };
      // A placement from the dialog's preview wins; without one, the automatic place (or LAYOUT_NOT_FOUND).
      const given: Placement | undefined = input.placement ? { page: input.placement.page - 1, rect: input.placement.rect } : undefined;
      if (input.as === 'signer') {
        const name = doc.signerName ?? commonName;
        const layout = await readLayout(source);
        const { page, rect } = given ?? (await automaticPlacement({ mode: 'signer', source, signerName: name, layout }));
        const reserved = numberFieldSlots(layout);
        if (reserved.length && doc.status === 'draft') signOptions.extend = reserveNumberFields(reserved);
        signOptions.appearance = appearance({ mode: 'signer', page, rect, lines: [name], color: [0.05, 0.15, 0.7] });
      } else if (input.as === 'agency') {
        const { page, rect } = given ?? (await automaticPlacement({ mode: 'agency', source }));
        signOptions.appearance = appearance({ mode: 'agency', page, rect, lines: [agencyName, vnIso(when)] });
      } else {
        const lines = stampLines(input.as, { code: documentCode(doc), agency: agencyName, when });
        const { page, rect } = given ?? (await automaticPlacement({ mode: input.as, source, lines }));
        signOptions.appearance = appearance({ mode: input.as, page, rect, lines, fontSize: 10 });
      }

      const signed = await signPdf(signOptions);
      const bytes = fs.readFileSync(output);
      const sha256 = files.put(bytes);
      const stamp = when.toISOString();
      db.transaction(() => {
        const still = mainPdf(db, doc.id);
        if (still?.sha256 !== main.sha256) throw new AppError('CONFLICT', 'The document changed while it was being signed', { reason: 'DOCUMENT_CHANGED' });
        db.prepare('INSERT OR IGNORE INTO files (sha256, size, mime) VALUES (?, ?, ?)').run(sha256, bytes.length, 'application/pdf');
        const role = (db.prepare('SELECT role FROM document_files WHERE document_id = ? AND sha256 = ?').pluck().get(doc.id, main.sha256) as string | undefined) ?? 'main';
        // The signed file replaces the previous version as the document's main PDF; the previous
        // bytes stay in the content-addressed store and the audit entry names both versions.
        db.prepare('DELETE FROM document_files WHERE document_id = ? AND sha256 = ?').run(doc.id, main.sha256);
        db.prepare('INSERT OR REPLACE INTO document_files (document_id, sha256, name, role) VALUES (?, ?, ?, ?)').run(doc.id, sha256, main.name, role);
        db.prepare('UPDATE documents SET updated_at = ? WHERE id = ?').run(stamp, doc.id);
        appendAudit(db, {
          actor: actorName(db),
          action: 'signing.sign',
          entity: 'document',
          entityId: doc.id,
          at: stamp,
          payload: { mode: input.as, field: signed.fieldName, signer: commonName, certificateSerial: cert.serial, previous: main.sha256, sha256, filled },
        });
      }).immediate();
      log.info('document signed', { documentId: doc.id, mode: input.as, field: signed.fieldName });
      const record = loadDocument(db, doc.id);
      if (!record) throw new AppError('NOT_FOUND', 'Document vanished');
      return { document: record, sha256, previousSha256: main.sha256, fieldName: signed.fieldName, mode: input.as, signer: commonName, signingTime: vnIso(when), filled };
    } catch (error) {
      const mapped = mapSigningError(error, input.pin);
      log.info('signing refused', { documentId: input.documentId, mode: input.as, code: mapped.code, reason: (mapped.details as { reason?: unknown } | undefined)?.reason });
      throw mapped;
    } finally {
      for (const f of temps) fs.rmSync(f, { force: true });
    }
  };

  return {
    handlers: {
      'signing:verify': verify,
      'signing:listTokens': listTokens,
      'signing:sign': sign,
      'signing:placement': placement,
    },
    close: async () => {
      const s = service;
      service = undefined;
      serviceKey = '';
      if (s) await s.close();
    },
  };
}
