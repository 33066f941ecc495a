/**
 * Faults injected by the server (20% 5xx before or after the work, resets, truncated
 * bodies; separately 2 s latency): every document arrives exactly once, every status once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { queueSendOutgoing, statusesOf } from '../../src-main/sync/exchange.js';
import { agencyA, agencyB, client, incomingRows, issuedDocument, settle, startBench } from './harness.js';

describe('faults', () => {
  // Packages fetched into memory (the default for small ones), and streamed to part files that resume with a Range.
  it.each([
    { fetch: 'into memory', inMemoryMaxBytes: undefined },
    { fetch: 'to resumable part files', inMemoryMaxBytes: 0 },
  ])('20% 5xx, resets and truncated bodies, packages fetched $fetch: exactly once', async ({ inMemoryMaxBytes }) => {
    const server = await startBench();
    const a = client(server, agencyA);
    const b = client(server, agencyB, { engine: { pageSize: 7, ...(inMemoryMaxBytes === undefined ? {} : { inMemoryMaxBytes }) } });
    await settle(a.engine);
    const ids: number[] = [];
    for (let i = 0; i < 25; i += 1) {
      const d = await issuedDocument(a.services, { pdfBytes: 40_000 });
      queueSendOutgoing(a.engine.ctx, d.id, [agencyB.code]);
      ids.push(d.id);
    }
    Object.assign(server.faults, { errorRate: 0.2, resetRate: 0.1, truncateRate: 0.1 });
    await settle(a.engine, { ms: 40_000, rounds: 400 });
    await settle(b.engine, { ms: 40_000, rounds: 400 });
    await settle(a.engine, { ms: 40_000, rounds: 400 });
    expect(server.stats.faultsInjected).toBeGreaterThan(10);
    Object.assign(server.faults, { errorRate: 0, resetRate: 0, truncateRate: 0 });
    const got = incomingRows(b.services);
    expect(got).toHaveLength(25);
    const edxmlIds = b.services.db.prepare('SELECT edxml_document_id FROM exchange_documents').pluck().all() as string[];
    expect(new Set(edxmlIds).size).toBe(25);
    expect(server.db.prepare("SELECT count(*) FROM packages WHERE kind = 'edoc'").pluck().get()).toBe(25);
    expect(server.db.prepare("SELECT count(*) FROM deliveries d JOIN packages p ON p.id = d.package_id WHERE p.kind = 'edoc' AND d.state = 'done'").pluck().get()).toBe(25);
    for (const id of ids) expect(statusesOf(a.services.db, id).map((s) => s.statusCode)).toEqual(['01']);
    expect(b.services.db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Truncated downloads were resumed from their part files, never when fetched into memory.
    if (inMemoryMaxBytes === 0) expect(server.stats.resumedDownloads).toBeGreaterThan(0);
    else expect(server.stats.resumedDownloads).toBe(0);
    expect(fs.readdirSync(path.join(b.services.dataDir, 'sync', 'downloads'))).toEqual([]);
  }, 150_000);

  it('2 s latency on every request: the round completes', async () => {
    const server = await startBench();
    const a = client(server, agencyA);
    const b = client(server, agencyB);
    await settle(a.engine);
    queueSendOutgoing(a.engine.ctx, (await issuedDocument(a.services)).id, [agencyB.code]);
    queueSendOutgoing(a.engine.ctx, (await issuedDocument(a.services)).id, [agencyB.code]);
    await settle(a.engine);
    server.faults.latencyMs = 2000;
    const started = Date.now();
    const report = await b.engine.syncOnce();
    expect(report.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThan(4000);
    expect(incomingRows(b.services)).toHaveLength(2);
    expect(b.engine.state().pendingOutbox).toBe(0);
  }, 90_000);
});
