/**
 * Kill chaos: a client process (pull + accept under its lease + push) killed with
 * SIGKILL at random points, restarted until its sync completes; then: no document lost or
 * duplicated, no duplicate or missing số đến, every status sent once, integrity_check ok,
 * audit chain intact.
 *
 *   npm run build && node dist/main/bench/chaos.js --runs 120 [--documents 20] [--max-kill-ms 1000]
 * (`--runs`: kills that landed, not attempts.)
 * The child mode (`--child DATA_DIR URL`) is what gets killed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openServices } from '../src-main/app/services.js';
import { completeSetup } from '../src-main/documents/masterData.js';
import { agencyDate, agencyYear } from '../src-main/documents/time.js';
import { issueDocument, saveDraft } from '../src-main/documents/outgoingRegister.js';
import { simplePdf } from '../src-main/documents/simplePdf.js';
import { verifyAuditChain } from '../src-main/store/auditLog.js';
import { SyncEngine } from '../src-main/sync/engine.js';
import { acceptIncoming, queueSendOutgoing } from '../src-main/sync/exchange.js';
import { acquireLease, holdsLease } from '../src-main/sync/leases.js';
import { ReferenceTransport } from '../src-main/sync/referenceTransport.js';
import { pcIdOf } from '../src-main/sync/state.js';
import { startServer } from '../src-server/server.js';
import { addAgency, addUser } from '../src-server/store.js';

const password = 'mat-khau-chaos';
const A = { code: '000.00.00.H14', name: 'Ủy ban nhân dân tỉnh Cao Bằng', shortName: 'UBND', place: 'Cao Bằng' };
const B = { code: '000.00.12.H14', name: 'Sở Tài chính tỉnh Cao Bằng', shortName: 'STC', place: 'Cao Bằng' };

function setup(dataDir: string, agency: typeof A) {
  const s = openServices({ dataDir, host: 'cli' });
  if (!s.db.prepare('SELECT 1 FROM agency').get()) {
    completeSetup(s.db, {
      agency,
      units: [{ name: 'Văn phòng', shortName: 'VP' }],
      user: { fullName: `Văn thư ${agency.shortName}`, position: 'Văn thư', unitIndex: 0 },
    });
  }
  return s;
}

function engineFor(s: ReturnType<typeof setup>, url: string, agency: typeof A): SyncEngine {
  const transport = new ReferenceTransport({
    baseUrl: url,
    pcId: pcIdOf(s.db),
    credentials: () => ({ agency: agency.code, username: 'vanthu', password }),
    timeoutMs: 10_000,
  });
  return new SyncEngine({ db: s.db, files: s.files, dataDir: s.dataDir, transport, backoff: { baseMs: 10, capMs: 100 }, pageSize: 5 });
}

async function issued(s: ReturnType<typeof setup>, i: number, tag: string) {
  const typeId = s.db.prepare("SELECT id FROM document_types WHERE name = 'Quyết định'").pluck().get() as number;
  const pdf = Buffer.concat([simplePdf([`${tag} ${i}`]), Buffer.from('\n<< /Type /Sig /ByteRange [0 0 0 0] /Contents <00> >>\n')]);
  const d = await saveDraft(s.db, s.files, {
    typeId,
    subject: `${tag} số ${i}`,
    signerName: 'Nguyễn Văn Đức',
    signerPosition: 'Giám đốc',
    recipients: null,
    draftingUnitId: null,
    urgency: 0,
    confidentiality: 0,
    note: null,
    file: { name: `${tag}-${i}.pdf`, dataBase64: pdf.toString('base64') },
  });
  return issueDocument(s.db, { id: d.id, documentDate: agencyDate(new Date()) }, new Date());
}

/** The process that gets killed: sync, accept every waiting document under the lease, sync until nothing waits. */
async function child(dataDir: string, url: string): Promise<number> {
  const s = setup(dataDir, B);
  const engine = engineFor(s, url, B);
  const year = agencyYear(new Date());
  if (!holdsLease(s.db, year, 'in')) await acquireLease(engine.ctx, year, 'in');
  process.stdout.write('syncing\n'); // the parent times its kill from here, not from process start
  for (let round = 0; round < 200; round += 1) {
    const report = await engine.syncOnce();
    const waiting = s.db.prepare("SELECT id FROM documents WHERE direction = 'incoming' AND status = 'pending' ORDER BY id").pluck().all() as number[];
    for (const id of waiting) await acceptIncoming(engine.ctx, id, { arrivalDate: agencyDate(new Date()) });
    if (report.ok && report.pending === 0 && waiting.length === 0) {
      const more = await engine.syncOnce();
      if (more.ok && more.pending === 0 && more.received === 0) {
        s.close();
        process.stdout.write('done\n');
        return 0;
      }
    }
  }
  s.close();
  return 1;
}

export interface ChaosResult {
  runs: number;
  kills: number;
  documents: number;
  problems: string[];
}

function runChild(dataDir: string, url: string, killAfterMs: number | null): Promise<{ code: number | null; killed: boolean }> {
  const self = fileURLToPath(import.meta.url);
  const target = self.endsWith('.js') ? self : path.resolve('dist/main/bench/chaos.js');
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [target, '--child', dataDir, url], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VANTHU_LOG_LEVEL: 'error' } });
    let killed = false;
    let timer: NodeJS.Timeout | null = null;
    const hard = setTimeout(() => p.kill('SIGKILL'), 120_000);
    p.stderr.resume();
    // The kill is timed from the moment the child starts syncing (start-up time varies a lot on a busy machine).
    p.stdout.on('data', (chunk: Buffer) => {
      if (killAfterMs === null || timer || !chunk.toString().includes('syncing')) return;
      timer = setTimeout(() => {
        killed = p.kill('SIGKILL');
      }, killAfterMs);
    });
    p.on('error', reject);
    p.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      clearTimeout(hard);
      resolve({ code, killed });
    });
  });
}

/**
 * One scenario: A sends `documents` to B; B (queued outgoing documents to A before) is
 * killed `kills` times at random points, then runs to completion. Checked afterwards.
 */
export async function chaosScenario(options: { documents: number; outgoing: number; kills: number; maxKillMs: number }): Promise<ChaosResult> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vanthu-chaos-'));
  const problems: string[] = [];
  const server = await startServer({ dataDir: path.join(root, 'server'), port: 0 });
  try {
    for (const ag of [A, B]) {
      addAgency(server.db, ag.code, ag.name);
      addUser(server.db, { agency: ag.code, username: 'vanthu', fullName: 'Văn thư', role: 'clerk', password });
    }
    const a = setup(path.join(root, 'a'), A);
    const ea = engineFor(a, server.url, A);
    await ea.syncOnce();
    for (let i = 0; i < options.documents; i += 1) queueSendOutgoing(ea.ctx, (await issued(a, i, 'Văn bản A')).id, [B.code]);
    for (let r = 0; r < 20 && ea.state().pendingOutbox > 0; r += 1) await ea.syncOnce();
    const bDir = path.join(root, 'b');
    const b = setup(bDir, B);
    const eb = engineFor(b, server.url, B);
    await eb.syncOnce();
    for (let i = 0; i < options.outgoing; i += 1) queueSendOutgoing(eb.ctx, (await issued(b, i, 'Văn bản B')).id, [A.code]);
    b.close();
    let kills = 0;
    for (let k = 0; k < options.kills; k += 1) {
      const r = await runChild(bDir, server.url, Math.floor(Math.random() * options.maxKillMs));
      if (r.killed) kills += 1;
      else if (r.code === 0) break; // finished before the kill
    }
    const final = await runChild(bDir, server.url, null);
    if (final.code !== 0) problems.push(`sync did not complete after restart (exit ${final.code})`);
    const db = openServices({ dataDir: bDir, host: 'cli' });
    try {
      const n = options.documents;
      if (db.db.pragma('integrity_check', { simple: true }) !== 'ok') problems.push('integrity_check failed');
      if (!verifyAuditChain(db.db).ok) problems.push('audit chain broken');
      const incoming = db.db.prepare("SELECT count(*) FROM documents WHERE direction = 'incoming'").pluck().get() as number;
      if (incoming !== n) problems.push(`incoming documents: ${incoming}, expected ${n}`);
      const distinct = db.db.prepare('SELECT count(DISTINCT edxml_document_id) FROM exchange_documents WHERE direction = \'incoming\'').pluck().get() as number;
      if (distinct !== n) problems.push(`distinct received documents: ${distinct}, expected ${n}`);
      const numbers = db.db.prepare("SELECT arrival_number FROM documents WHERE direction = 'incoming' ORDER BY arrival_number").pluck().all() as number[];
      if (JSON.stringify(numbers) !== JSON.stringify(Array.from({ length: n }, (_, i) => i + 1))) problems.push(`số đến not 1..${n}: ${numbers.join(',')}`);
      const onServer = server.db.prepare("SELECT number FROM register_numbers WHERE agency_code = ? AND series = 'in' ORDER BY number").pluck().all(B.code) as number[];
      if (JSON.stringify(onServer) !== JSON.stringify(numbers)) problems.push(`numbers on the server differ: ${onServer.join(',')}`);
      const statuses = server.db
        .prepare("SELECT status_code, count(*) AS c, count(DISTINCT about_document_id) AS d FROM packages WHERE kind = 'status' AND sender_code = ? GROUP BY status_code")
        .all(B.code) as Array<{ status_code: string; c: number; d: number }>;
      for (const code of ['01', '03']) {
        const s = statuses.find((x) => x.status_code === code);
        if (!s || s.c !== n || s.d !== n) problems.push(`status ${code}: ${s?.c ?? 0} sent for ${s?.d ?? 0} documents, expected ${n}`);
      }
      const pendingDeliveries = server.db.prepare("SELECT count(*) FROM deliveries WHERE recipient_code = ? AND state <> 'done'").pluck().get(B.code) as number;
      if (pendingDeliveries !== 0) problems.push(`${pendingDeliveries} deliveries not acknowledged`);
      const sentByB = server.db.prepare("SELECT count(*) FROM packages WHERE kind = 'edoc' AND sender_code = ?").pluck().get(B.code) as number;
      if (sentByB !== options.outgoing) problems.push(`B sent ${sentByB} documents, expected ${options.outgoing}`);
    } finally {
      db.close();
      a.close();
    }
    return { runs: 1, kills, documents: options.documents, problems };
  } finally {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const arg = (name: string, fallback: string): string => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
  };
  if (process.argv[2] === '--child') {
    process.exit(await child(process.argv[3] ?? '', process.argv[4] ?? ''));
  }
  const runs = Number(arg('--runs', '120'));
  const documents = Number(arg('--documents', '20'));
  const killsPerScenario = Number(arg('--kills-per-scenario', '6'));
  const maxKillMs = Number(arg('--max-kill-ms', '1000'));
  let totalKills = 0;
  let failures = 0;
  const started = Date.now();
  // Until `runs` kills have landed (a child that finishes before its kill time is not one);
  // scenarios are bounded only against a run where kills never land.
  for (let scenario = 0; totalKills < runs && scenario < runs * 5; scenario += 1) {
    const r = await chaosScenario({ documents, outgoing: 5, kills: Math.min(killsPerScenario, runs - totalKills), maxKillMs });
    totalKills += r.kills;
    if (r.problems.length) {
      failures += 1;
      process.stdout.write(`PROBLEMS: ${r.problems.join('; ')}\n`);
    }
    process.stdout.write(`kills so far ${totalKills}/${runs}, scenarios with problems ${failures}\n`);
  }
  process.stdout.write(`chaos: ${totalKills} SIGKILLs, ${failures} failing scenarios, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  process.exit(failures === 0 ? 0 : 1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
