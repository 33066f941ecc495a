/**
 * Sync test bench: the reference server on loopback with its real SQLite store, and
 * client stores in temp dirs, each with its own agency set up.
 */
import { agencyDate, agencyYear } from '../../src-main/documents/time.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { openServices, type AppServices } from '../../src-main/app/services.js';
import { completeSetup } from '../../src-main/documents/masterData.js';
import { issueDocument, saveDraft } from '../../src-main/documents/outgoingRegister.js';
import { simplePdf } from '../../src-main/documents/simplePdf.js';
import { SyncEngine, type SyncOptions } from '../../src-main/sync/engine.js';
import { ReferenceTransport } from '../../src-main/sync/referenceTransport.js';
import { pcIdOf } from '../../src-main/sync/state.js';
import { startServer, type Faults, type RunningServer } from '../../src-server/server.js';
import { addAgency, addUser } from '../../src-server/store.js';

export const password = 'mat-khau-thu-nghiem';
export const agencyA = { code: '000.00.00.H14', name: 'Ủy ban nhân dân tỉnh Cao Bằng', shortName: 'UBND', place: 'Cao Bằng' };
export const agencyB = { code: '000.00.12.H14', name: 'Sở Tài chính tỉnh Cao Bằng', shortName: 'STC', place: 'Cao Bằng' };
export const agencyC = { code: '000.00.13.H14', name: 'Sở Nội vụ tỉnh Cao Bằng', shortName: 'SNV', place: 'Cao Bằng' };

const dirs: string[] = [];
const servers: RunningServer[] = [];
const clients: AppServices[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vanthu-sync-'));
  dirs.push(dir);
  return dir;
}

export async function startBench(options: { faults?: Faults; tokenLifetimeMs?: number; dataDir?: string } = {}): Promise<RunningServer> {
  const server = await startServer({ dataDir: options.dataDir ?? tempDir(), port: 0, faults: options.faults, tokenLifetimeMs: options.tokenLifetimeMs });
  servers.push(server);
  for (const a of [agencyA, agencyB, agencyC]) addAgency(server.db, a.code, a.name);
  for (const a of [agencyA, agencyB, agencyC]) {
    addUser(server.db, { agency: a.code, username: 'vanthu', fullName: `Văn thư ${a.shortName}`, role: 'clerk', password });
    addUser(server.db, { agency: a.code, username: 'vanthu2', fullName: `Văn thư 2 ${a.shortName}`, role: 'clerk', password });
    addUser(server.db, { agency: a.code, username: 'lanhdao', fullName: `Lãnh đạo ${a.shortName}`, role: 'leader', password });
  }
  return server;
}

export interface Client {
  services: AppServices;
  engine: SyncEngine;
  transport: ReferenceTransport;
}

export function clientStore(agency: typeof agencyA, dataDir = tempDir()): AppServices {
  const services = openServices({ dataDir, host: 'cli' });
  clients.push(services);
  if (!services.db.prepare('SELECT 1 FROM agency').get()) {
    completeSetup(services.db, {
      agency: { name: agency.name, shortName: agency.shortName, code: agency.code, place: agency.place },
      units: [
        { name: 'Văn phòng', shortName: 'VP' },
        { name: 'Phòng Kế hoạch', shortName: 'KH' },
      ],
      user: { fullName: `Văn thư ${agency.shortName}`, position: 'Văn thư', unitIndex: 0 },
    });
  }
  return services;
}

export function client(
  server: { url: string },
  agency: typeof agencyA,
  options: { username?: string; dataDir?: string; services?: AppServices; engine?: Partial<SyncOptions> } = {},
): Client {
  const services = options.services ?? clientStore(agency, options.dataDir);
  const transport = new ReferenceTransport({
    baseUrl: server.url,
    pcId: pcIdOf(services.db),
    credentials: () => ({ agency: agency.code, username: options.username ?? 'vanthu', password }),
    timeoutMs: 10_000,
  });
  const engine = new SyncEngine({
    db: services.db,
    files: services.files,
    dataDir: services.dataDir,
    transport,
    backoff: { baseMs: 20, capMs: 200 },
    ...options.engine,
  });
  return { services, engine, transport };
}

/** A PDF with a (dummy) signature dictionary, as the signing step leaves it. */
export function signedPdf(text: string, padTo = 0): Buffer {
  const base = simplePdf([text]);
  const sig = Buffer.from('\n% signature\n99 0 obj\n<< /Type /Sig /ByteRange [0 0 0 0] /Contents <00> >>\nendobj\n', 'latin1');
  const pad = padTo > base.length + sig.length ? Buffer.alloc(padTo - base.length - sig.length, 0x20) : Buffer.alloc(0);
  return Buffer.concat([base, pad, sig]);
}

let counter = 0;

/**
 * The tests live on today's calendar in Viet Nam: registers, leases and the server's
 * choice of the PC that receives are per year, so fixed dates would break on 1 January.
 */
export const thisYear = agencyYear(new Date());
export const today = agencyDate(new Date());

/** An issued outgoing document with a signed PDF, ready to send. */
export async function issuedDocument(services: AppServices, options: { subject?: string; confidentiality?: 0 | 1 | 2 | 3; pdfBytes?: number; date?: string } = {}) {
  counter += 1;
  const typeId = services.db.prepare("SELECT id FROM document_types WHERE name = 'Quyết định'").pluck().get() as number;
  const subject = options.subject ?? `Về việc phân bổ ngân sách đợt ${counter}`;
  const draft = await saveDraft(services.db, services.files, {
    typeId,
    subject,
    signerName: 'Nguyễn Văn Đức',
    signerPosition: 'Chủ tịch',
    recipients: 'Như trên',
    draftingUnitId: null,
    urgency: 0,
    confidentiality: options.confidentiality ?? 0,
    note: null,
    file: { name: `qd-${counter}.pdf`, dataBase64: signedPdf(subject, options.pdfBytes ?? 0).toString('base64') },
  });
  return issueDocument(services.db, { id: draft.id, documentDate: options.date ?? today }, new Date());
}

/** Runs rounds until nothing waits (bounded in count and time). */
export async function settle(engine: SyncEngine, options: { rounds?: number; ms?: number } = {}): Promise<number> {
  const until = Date.now() + (options.ms ?? 20_000);
  let rounds = 0;
  for (; rounds < (options.rounds ?? 200) && Date.now() < until; rounds += 1) {
    const r = await engine.syncOnce({ deadlineMs: Math.max(1000, until - Date.now()) });
    if (r.ok && r.pending === 0) return rounds + 1;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`sync did not settle after ${rounds} rounds: ${JSON.stringify(engine.state())}`);
}

export function incomingRows(services: AppServices) {
  return services.db
    .prepare("SELECT d.id, d.status, d.subject, d.arrival_number, d.code_number, d.note FROM documents d WHERE d.direction = 'incoming' ORDER BY d.id")
    .all() as Array<{ id: number; status: string; subject: string; arrival_number: number | null; code_number: string; note: string | null }>;
}
