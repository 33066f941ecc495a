/**
 * `vanthu sync --server URL --user NAME [--agency CODE] [--acquire-lease in] [--rounds N] [--json]`
 * `vanthu sync --protocol vdxp --server ENDPOINT [--agency CODE] [--rounds N] [--json]`
 * One sync round (or N) from the command line, against the reference server or an axis
 * speaking the VDXP protocol (sync/vdxpTransport.ts; the agency code is its systemId). The
 * password — the axis's secret for vdxp — comes from the environment variable
 * VANTHU_SYNC_PASSWORD (never an argument, never logged). The agency code defaults to the
 * data folder's own agency. Exit codes: 0 done, 1 refused or the round failed (offline…), 2 usage.
 */
import os from 'node:os';
import path from 'node:path';
import { openServices } from '../app/services.js';
import { requireAgency } from '../documents/masterData.js';
import { SyncEngine } from '../sync/engine.js';
import { acquireLease } from '../sync/leases.js';
import { ReferenceTransport } from '../sync/referenceTransport.js';
import { pcIdOf } from '../sync/state.js';
import { VdxpTransport } from '../sync/vdxpTransport.js';
import { parseCommandLine } from './args.js';
import { agencyYear } from '../documents/time.js';

const usage = `Usage: vanthu sync --server URL --user NAME [--agency CODE] [--rounds N] [--acquire-lease SERIES --year Y] [--json]
       vanthu sync --protocol vdxp --server ENDPOINT [--agency CODE] [--rounds N] [--json]
  password (the axis's secret for vdxp) from VANTHU_SYNC_PASSWORD`;

export async function syncCommand(argv: string[], write: (text: string) => void): Promise<number> {
  const parsed = parseCommandLine(argv, {
    'data-dir': { type: 'string' },
    protocol: { type: 'string', default: 'reference' },
    server: { type: 'string' },
    user: { type: 'string' },
    agency: { type: 'string' },
    rounds: { type: 'string', default: '1' },
    'acquire-lease': { type: 'string' },
    year: { type: 'string' },
    concurrency: { type: 'string' },
    'backoff-ms': { type: 'string' },
    json: { type: 'boolean', default: false },
  }, usage, write);
  if (!parsed) return 2;
  const v = parsed.values;
  const password = process.env['VANTHU_SYNC_PASSWORD'];
  const vdxp = v.protocol === 'vdxp';
  if (!vdxp && v.protocol !== 'reference') {
    write(`--protocol is reference or vdxp\n${usage}\n`);
    return 2;
  }
  if (!v.server || (!vdxp && !v.user)) {
    write(`--server${vdxp ? '' : ' and --user'} required\n${usage}\n`);
    return 2;
  }
  if (vdxp && v['acquire-lease']) {
    write('--acquire-lease needs the reference server: the axis keeps no registers\n');
    return 2;
  }
  if (!password) {
    write(`VANTHU_SYNC_PASSWORD must hold the password\n`);
    return 2;
  }
  const rounds = Number(v.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 1000) {
    write('--rounds must be 1..1000\n');
    return 2;
  }
  const services = openServices({ dataDir: v['data-dir'] ?? path.join(os.homedir(), '.vanthu'), host: 'cli' });
  let engine: SyncEngine | null = null;
  try {
    const agency = v.agency ?? requireAgency(services.db).code;
    const server = v.server;
    const transport = vdxp
      ? new VdxpTransport({ endpoint: server, systemId: agency, secret: password })
      : new ReferenceTransport({ baseUrl: server, pcId: pcIdOf(services.db), credentials: () => ({ agency, username: v.user as string, password }) });
    const baseMs = v['backoff-ms'] ? Number(v['backoff-ms']) : 1000;
    engine = new SyncEngine({
      db: services.db,
      files: services.files,
      dataDir: services.dataDir,
      transport,
      concurrency: v.concurrency ? Number(v.concurrency) : 4,
      backoff: { baseMs, capMs: Math.max(baseMs, 60_000) },
    });
    if (v['acquire-lease']) {
      const year = v.year ? Number(v.year) : agencyYear(new Date());
      await acquireLease(engine.ctx, year, v['acquire-lease']);
    }
    let report = await engine.syncOnce();
    for (let i = 1; i < rounds && (!report.ok || report.pending > 0); i += 1) report = await engine.syncOnce();
    const state = engine.state();
    if (v.json) write(`${JSON.stringify({ ok: report.ok, report, state })}\n`);
    else
      write(
        report.ok
          ? `synced: ${report.received} received, ${report.sent} sent, ${report.rejected} rejected, ${state.pendingOutbox} waiting\n` +
              (state.receivedBy ? `the agency's documents are received on ${state.receivedBy}, the PC holding the incoming register\n` : '')
          : `sync failed: ${report.error ?? 'unknown'}; ${state.pendingOutbox} items wait in the outbox\n`,
      );
    return report.ok ? 0 : 1;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    write(v.json ? `${JSON.stringify({ ok: false, error: message })}\n` : `refused: ${message}\n`);
    return 1;
  } finally {
    await engine?.close();
    services.close();
  }
}
