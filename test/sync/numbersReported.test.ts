/**
 * Every number the lease holder takes reaches the server — those of paper documents it
 * registers and of documents it issues, not only those of packages it accepts — so the
 * register can move to another PC (the server refuses a release while a number is
 * missing) and an administrator's revoke continues after them instead of reusing them.
 */
import { describe, expect, it } from 'vitest';
import { registerIncoming } from '../../src-main/documents/incomingRegister.js';
import { acquireLease, releaseLease } from '../../src-main/sync/leases.js';
import { serverMain } from '../../src-server/cli.js';
import { incomingInput } from '../helpers.js';
import { agencyB, client, issuedDocument, settle, startBench, tempDir, thisYear, today } from './harness.js';

describe('numbers of registered and issued documents', () => {
  it('are reported, so the registers move by transfer or revoke after them', async () => {
    const dataDir = tempDir();
    const server = await startBench({ dataDir });
    const pc1 = client(server, agencyB);
    const pc2 = client(server, agencyB, { username: 'vanthu2' });
    // pc1 syncs first: it holds the free registers ('in' and 'out' of this year among them).
    await settle(pc1.engine);
    for (const codeNumber of ['15', '16']) {
      await registerIncoming(pc1.services.db, pc1.services.files, incomingInput(pc1.services, { codeNumber, documentDate: today, arrivalDate: today }));
    }
    const issued = await issuedDocument(pc1.services);
    expect(issued.codeNumber).toBe('01');
    await settle(pc1.engine);
    const onServer = (series: string): unknown[] =>
      server.db
        .prepare('SELECT number FROM register_numbers WHERE agency_code = ? AND year = ? AND series = ? ORDER BY number')
        .pluck()
        .all(agencyB.code, thisYear, series);
    expect(onServer('in')).toEqual([1, 2]);
    expect(onServer('out')).toEqual([1]);

    // Explicit transfer of the incoming register: pc2 starts after the paper documents.
    await releaseLease(pc1.engine.ctx, thisYear, 'in', () => pc1.engine.pushOutbox());
    expect((await acquireLease(pc2.engine.ctx, thisYear, 'in')).startNumber).toBe(2);

    // pc1 breaks down holding the outgoing register: the revoke continues after its number.
    const out: string[] = [];
    expect(await serverMain(['--data-dir', dataDir, 'lease', 'revoke', agencyB.code, String(thisYear), 'out'], (t) => out.push(t))).toBe(0);
    expect(out.join('')).toMatch(/numbering continues after 1/);
    expect((await acquireLease(pc2.engine.ctx, thisYear, 'out')).startNumber).toBe(1);
    expect((await issuedDocument(pc2.services)).codeNumber).toBe('02');
  }, 60_000);
});
