/**
 * Sync benchmark (figures, not pass/fail):
 *   npm run build && node dist/main/bench/sync.bench.js [--documents 2000] [--pdf-kb 300] [--concurrency 4]
 * - pull N documents with a PDF each over loopback (server in its own process), against a raw
 *   HTTP download of the same bytes with the same concurrency in the same run (target ≥ 0.7×),
 *   and against the least a client that keeps them must do (download, SHA-256, one fsynced
 *   file each); CPU seconds of client and server for each;
 * - the client's peak RSS during the pull, sampled as it goes (target ≤ 250 MB, flat in N);
 * - push N status messages from the outbox: items per second.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { openServices, type AppServices } from '../src-main/app/services.js';
import { completeSetup } from '../src-main/documents/masterData.js';
import { simplePdf } from '../src-main/documents/simplePdf.js';
import { buildEdxml, formatDocumentId } from '../src-main/edxml/index.js';
import { SyncEngine } from '../src-main/sync/engine.js';
import { queueStatus } from '../src-main/sync/exchange.js';
import { ReceivePool } from '../src-main/sync/receivePool.js';
import { ReferenceTransport } from '../src-main/sync/referenceTransport.js';
import { pcIdOf } from '../src-main/sync/state.js';
import { addAgency, addUser, BlobStore, openServerDb } from '../src-server/store.js';
import { argValue } from './measure.js';
import crypto from 'node:crypto';

const password = 'mat-khau-bench';
const A = { code: '000.00.00.H14', name: 'Ủy ban nhân dân tỉnh Cao Bằng' };
const B = { code: '000.00.12.H14', name: 'Sở Tài chính tỉnh Cao Bằng', shortName: 'STC', place: 'Cao Bằng' };
/** Receives the warm-up packages (its own client store), so B's pull starts with the code already optimised, as in the app after its first round. */
const C = { code: '000.00.13.H14', name: 'Sở Xây dựng tỉnh Cao Bằng', shortName: 'SXD', place: 'Cao Bằng' };
const warmUpPackages = 300;

function pdfOf(i: number, bytes: number): Buffer {
  const base = simplePdf([`Văn bản số ${i}: quyết toán ngân sách`]);
  const filler = crypto.randomBytes(Math.max(0, bytes - base.length - 20)).toString('latin1');
  return Buffer.concat([base, Buffer.from(`\n%${filler}\n`, 'latin1')]).subarray(0, Math.max(bytes, base.length));
}

/** Packages 1…n for B (the measured pull), then the warm-up ones for C. */
function seed(serverDir: string, n: number, pdfBytes: number): void {
  const db = openServerDb(serverDir);
  addAgency(db, A.code, A.name);
  addAgency(db, B.code, B.name);
  addAgency(db, C.code, C.name);
  addUser(db, { agency: B.code, username: 'vanthu', fullName: 'Văn thư', role: 'clerk', password });
  addUser(db, { agency: C.code, username: 'vanthu', fullName: 'Văn thư', role: 'clerk', password });
  const blobs = new BlobStore(path.join(serverDir, 'packages'));
  const insertPackage = db.prepare(
    "INSERT INTO packages (sender_code, kind, business_type, document_id, size, sha256, created_at) VALUES (?, 'edoc', 0, ?, ?, ?, ?)",
  );
  const deliver = db.prepare('INSERT INTO deliveries (package_id, recipient_code) VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= n + warmUpPackages; i += 1) {
      const to = i <= n ? B : C;
      const documentId = formatDocumentId({ organId: A.code, promulgationDate: '2026-03-02', codeNumber: String(i), codeNotation: 'UBND-VP' }) ?? '';
      const bytes = buildEdxml(
        {
          header: {
            from: { organId: A.code, organName: A.name },
            to: [{ organId: to.code, organName: to.name }],
            documentId,
            code: { codeNumber: String(i), codeNotation: 'UBND-VP' },
            promulgationInfo: { place: 'Cao Bằng', promulgationDate: '2026-03-02' },
            documentType: { type: 2, typeName: 'Công văn' },
            subject: `Về việc quyết toán ngân sách năm 2025, văn bản ${i}`,
            toPlaces: [],
            responseFor: [],
          },
          traceHeaderList: { traceHeaders: [{ organId: A.code, timestamp: new Date('2026-03-02T03:00:00Z') }], business: { docType: 0, replacements: [] } },
          attachments: [{ contentId: 'main', name: `cv-${i}.pdf`, contentType: 'application/pdf', bytes: pdfOf(i, pdfBytes) }],
        },
        { now: new Date('2026-03-03T00:00:00Z') },
      );
      const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
      const tmp = blobs.tempPath();
      fs.writeFileSync(tmp, bytes);
      blobs.adopt(tmp, sha256);
      const id = Number(insertPackage.run(A.code, documentId, bytes.length, sha256, new Date().toISOString()).lastInsertRowid);
      deliver.run(id, to.code);
    }
  })();
  db.close();
}

/** A client store set up for `agency`, and its transport to the server at `url`. */
function clientFor(agency: typeof B, dataDir: string, url: string): { services: AppServices; transport: ReferenceTransport } {
  const services = openServices({ dataDir, host: 'cli' });
  completeSetup(services.db, {
    agency: { name: agency.name, shortName: agency.shortName, code: agency.code, place: agency.place },
    units: [{ name: 'Văn phòng', shortName: 'VP' }],
    user: { fullName: 'Văn thư', position: 'Văn thư', unitIndex: 0 },
  });
  const transport = new ReferenceTransport({ baseUrl: url, pcId: pcIdOf(services.db), credentials: () => ({ agency: agency.code, username: 'vanthu', password }) });
  return { services, transport };
}

async function startServerProcess(serverDir: string): Promise<{ url: string; child: ChildProcess }> {
  const cli = path.resolve('dist/main/src-server/cli.js');
  // VANTHU_BENCH_SERVER_PROF=DIR: CPU profile of the server process (node --cpu-prof) into DIR.
  const prof = process.env['VANTHU_BENCH_SERVER_PROF'];
  const nodeArgs = prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [];
  const child = spawn(process.execPath, [...nodeArgs, cli, '--data-dir', serverDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
    setTimeout(() => reject(new Error('server did not start')), 20_000);
  });
  return { url, child };
}

/**
 * Fetches every package, `concurrency` at a time, and hands each body to `keep` (none:
 * the bytes are only counted — the raw download).
 */
async function rawFetchAll(
  url: string,
  token: string,
  ids: number[],
  concurrency: number,
  keep?: (id: number, body: Buffer) => Promise<void>,
): Promise<{ ms: number; bytes: number }> {
  let next = 0;
  let bytes = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ids.length) {
        const id = ids[next++] as number;
        const res = await fetch(`${url}/v1/packages/${id}`, { headers: { Authorization: `Bearer ${token}` } });
        if (!keep) {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
          continue;
        }
        const body = Buffer.from(await res.arrayBuffer());
        await keep(id, body);
        bytes += body.length;
      }
    }),
  );
  return { ms: performance.now() - start, bytes };
}

interface CpuMark {
  client: number;
  server: number;
}

/** CPU seconds used so far by this process (all threads) and the server process, or since `since`. */
function cpuOf(server: ChildProcess, since?: CpuMark): CpuMark {
  const u = process.cpuUsage();
  const client = (u.user + u.system) / 1e6;
  let serverSeconds = 0;
  try {
    const fields = fs.readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    serverSeconds = (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, clock ticks
  } catch {
    serverSeconds = Number.NaN; // not Linux
  }
  return { client: client - (since?.client ?? 0), server: serverSeconds - (since?.server ?? 0) };
}

/** VANTHU_BENCH_CLIENT_PROF=DIR: CPU profile of the client's main thread during the pull only. */
async function startProfile(): Promise<{ stop: () => Promise<void> } | null> {
  const dir = process.env['VANTHU_BENCH_CLIENT_PROF'];
  if (!dir) return null;
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `client-pull-${Date.now()}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** The least a client that keeps what it receives must do: SHA-256 and one fsynced file per package. */
async function rawDownloadAndStore(url: string, token: string, ids: number[], concurrency: number, dir: string): Promise<{ ms: number; bytes: number }> {
  fs.mkdirSync(dir, { recursive: true });
  // The files stay until the end of the run: deleting thousands of files just before the
  // pull would make ext4 skip their recently freed inodes on every file the pull creates.
  return rawFetchAll(url, token, ids, concurrency, async (id, body) => {
    crypto.createHash('sha256').update(body).digest('hex');
    const handle = await fs.promises.open(path.join(dir, `${id}.edxml`), 'wx');
    try {
      await handle.write(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
  });
}

async function main(): Promise<void> {
  const n = Number(argValue('--documents', '2000'));
  const pdfKb = Number(argValue('--pdf-kb', '300'));
  const concurrency = Number(argValue('--concurrency', '4'));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vanthu-sync-bench-'));
  const serverDir = path.join(root, 'server');
  let t = performance.now();
  // Seeded by a child process, so the client's RSS below is the client's own.
  const seeded = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--seed', serverDir, '--documents', String(n), '--pdf-kb', String(pdfKb)], {
    stdio: 'inherit',
  });
  if (seeded.status !== 0) throw new Error('seeding failed');
  process.stdout.write(`seeded ${n} packages with ${pdfKb} KB PDFs in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  const { url, child } = await startServerProcess(serverDir);
  try {
    const { services, transport } = clientFor(B, path.join(root, 'client'), url);
    await transport.login();
    const token = transport.session?.token ?? '';
    const ids = Array.from({ length: n }, (_, i) => i + 1);
    // Warm-up both paths a little, then the raw baseline.
    await rawFetchAll(url, token, ids.slice(0, 20), concurrency);
    const cpu0 = cpuOf(child);
    const raw = await rawFetchAll(url, token, ids, concurrency);
    const cpuRaw = cpuOf(child, cpu0);
    const rawMBs = raw.bytes / 1024 / 1024 / (raw.ms / 1000);
    process.stdout.write(`raw HTTP download: ${n} packages, ${(raw.bytes / 1024 / 1024).toFixed(0)} MB in ${(raw.ms / 1000).toFixed(1)} s = ${rawMBs.toFixed(1)} MB/s\n`);
    // A second reference: the least any client that keeps what it receives must do — each
    // package hashed and written durably to a file of its own.
    const stored = await rawDownloadAndStore(url, token, ids, concurrency, path.join(root, 'floor'));
    const storedMBs = stored.bytes / 1024 / 1024 / (stored.ms / 1000);
    process.stdout.write(`raw download + SHA-256 + one fsynced file each: ${(stored.ms / 1000).toFixed(1)} s = ${storedMBs.toFixed(1)} MB/s\n`);

    // The pull's own warm-up: another agency's client receives a few packages through the
    // same parse workers, as an app that has synced before would have them.
    const pool = new ReceivePool();
    const warm = clientFor(C, path.join(root, 'client-warm-up'), url);
    const warmEngine = new SyncEngine({ db: warm.services.db, files: warm.services.files, dataDir: warm.services.dataDir, transport: warm.transport, concurrency, pool });
    const warmStart = performance.now();
    const warmed = await warmEngine.syncOnce();
    process.stdout.write(
      `pull warm-up: ${warmed.received} packages to another agency in ${((performance.now() - warmStart) / 1000).toFixed(1)} s (the process's first pull: its code is compiled meanwhile)\n`,
    );
    if (warmed.received !== warmUpPackages) throw new Error(`warm-up received ${warmed.received} of ${warmUpPackages}`);
    await warmEngine.close();
    warm.services.close();

    let lastCommit = 0;
    let committedTotal = 0;
    const engine = new SyncEngine({
      db: services.db,
      files: services.files,
      dataDir: services.dataDir,
      transport,
      concurrency,
      pageSize: 200,
      pool,
      onPoint: (p) => {
        if (p === 'pull:committed') {
          lastCommit = performance.now();
          committedTotal += 1;
        }
      },
    });
    let peak = 0;
    const samples: Array<{ done: number; rss: number }> = [];
    const sampler = setInterval(() => {
      const rss = process.memoryUsage().rss;
      peak = Math.max(peak, rss);
      samples.push({ done: committedTotal, rss });
    }, 50);
    const rssBefore = process.memoryUsage().rss;
    // How long the main thread is held at a time (in the app, IPC answers wait that long).
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const profiler = await startProfile();
    const cpuAtPull = cpuOf(child);
    t = performance.now();
    let received = 0;
    for (let r = 0; r < 10 && received < n; r += 1) received += (await engine.syncOnce()).received;
    const pullMs = performance.now() - t;
    loopDelay.disable();
    const cpuPull = cpuOf(child, cpuAtPull);
    clearInterval(sampler);
    await profiler?.stop();
    const pullMBs = raw.bytes / 1024 / 1024 / (pullMs / 1000);
    const count = services.db.prepare("SELECT count(*) FROM documents WHERE direction = 'incoming'").pluck().get() as number;
    const commitMs = lastCommit - t;
    process.stdout.write(
      `  of which download+commit of all documents: ${(commitMs / 1000).toFixed(1)} s = ${(raw.bytes / 1024 / 1024 / (commitMs / 1000)).toFixed(1)} MB/s, ` +
        `ratio ${((raw.bytes / 1024 / 1024 / (commitMs / 1000)) / rawMBs).toFixed(2)}×; the rest is sending ${count} acks and ${count} status 01 messages\n`,
    );
    process.stdout.write(
      `sync pull (download, checksum, parse, store files, commit, ack, status 01): ${count} documents in ${(pullMs / 1000).toFixed(1)} s = ` +
        `${pullMBs.toFixed(1)} MB/s, ${(count / (pullMs / 1000)).toFixed(0)} docs/s; ratio to raw ${(pullMBs / rawMBs).toFixed(2)}× (target ≥ 0.7×)\n`,
    );
    process.stdout.write(`  ratio to the download-and-store floor: ${(pullMBs / storedMBs).toFixed(2)}×\n`);
    process.stdout.write(
      `CPU seconds (client main+workers / server): raw ${cpuRaw.client.toFixed(1)} / ${cpuRaw.server.toFixed(1)}, pull ${cpuPull.client.toFixed(1)} / ${cpuPull.server.toFixed(1)}\n`,
    );
    const ms = (ns: number): string => (ns / 1e6).toFixed(0);
    process.stdout.write(
      `client main thread held during the pull (event-loop delay): p50 ${ms(loopDelay.percentile(50))} ms, p99 ${ms(loopDelay.percentile(99))} ms, max ${ms(loopDelay.max)} ms\n`,
    );
    const mem = process.memoryUsage();
    process.stdout.write(
      `client memory after the pull: heap ${(mem.heapUsed / 1048576).toFixed(0)}/${(mem.heapTotal / 1048576).toFixed(0)} MB, external ${(mem.external / 1048576).toFixed(0)} MB, ` +
        `array buffers ${(mem.arrayBuffers / 1048576).toFixed(0)} MB, RSS ${(mem.rss / 1048576).toFixed(0)} MB\n`,
    );
    const quarter = (q: number): string => {
      const s = samples.filter((x) => x.rss > 0 && x.done <= (n * q) / 4).at(-1);
      return s ? `${(s.rss / 1024 / 1024).toFixed(0)} MB` : '-';
    };
    process.stdout.write(
      `client peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB (target ≤ 250 MB; ${(rssBefore / 1024 / 1024).toFixed(0)} MB before the pull); ` +
        `RSS at 25/50/75/100% committed: ${quarter(1)} ${quarter(2)} ${quarter(3)} ${quarter(4)}\n`,
    );

    // Push: N status messages (03) from the outbox.
    const docs = services.db.prepare("SELECT id FROM documents WHERE direction = 'incoming' ORDER BY id").pluck().all() as number[];
    services.db.transaction(() => {
      for (const id of docs) queueStatus(services.db, id, '05', 'Đang xử lý', new Date());
    })();
    const queued = services.db.prepare("SELECT count(*) FROM outbox WHERE state = 'pending'").pluck().get() as number;
    t = performance.now();
    await engine.pushOutbox();
    const pushMs = performance.now() - t;
    const left = services.db.prepare("SELECT count(*) FROM outbox WHERE state = 'pending'").pluck().get() as number;
    process.stdout.write(`push ${queued} status messages: ${(pushMs / 1000).toFixed(1)} s = ${((queued - left) / (pushMs / 1000)).toFixed(0)} items/s (${left} left)\n`);
    await engine.close();
    await pool.close();
    services.close();
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const seedDir = argValue('--seed', '');
const run = seedDir ? async () => seed(seedDir, Number(argValue('--documents', '2000')), Number(argValue('--pdf-kb', '300')) * 1024) : main;
void run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
