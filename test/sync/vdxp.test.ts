/**
 * The sync engine through a second transport — the national axis's VDXP protocol
 * (sync/vdxpTransport.ts) against a stand-in axis on loopback (vdxpAxis.ts) — unchanged:
 * no login, no cursor, no resumable download, no agency records. A document goes from one
 * agency to another, the recipient accepts it, the statuses 01 and 03 come back, every
 * request signed; a wrong secret is refused and nothing is stored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SyncEngine } from '../../src-main/sync/engine.js';
import { acceptIncoming, queueSendOutgoing, statusesOf } from '../../src-main/sync/exchange.js';
import { listRefusals } from '../../src-main/sync/refusals.js';
import { VdxpTransport } from '../../src-main/sync/vdxpTransport.js';
import { agencyA, agencyB, clientStore, incomingRows, issuedDocument, today } from './harness.js';
import { axisSecret, startAxisFor, type Axis } from './vdxpAxis.js';

const axes: Axis[] = [];
afterEach(async () => {
  for (const a of axes.splice(0)) await a.close();
});

function engineOn(axis: Axis, agency: typeof agencyA, options: { secret?: string; pageSize?: number } = {}) {
  const services = clientStore(agency);
  const transport = new VdxpTransport({ endpoint: axis.url, systemId: agency.code, secret: options.secret ?? axisSecret(agency.code) });
  const engine = new SyncEngine({ db: services.db, files: services.files, dataDir: services.dataDir, transport, backoff: { baseMs: 10, capMs: 50 }, pageSize: options.pageSize });
  return { services, engine };
}

describe('the engine over the VDXP axis protocol', () => {
  it('sends, receives once, accepts, and the statuses come back — every request signed', async () => {
    const axis = await startAxisFor(agencyA, agencyB);
    axes.push(axis);
    const a = engineOn(axis, agencyA);
    const b = engineOn(axis, agencyB);
    const doc = await issuedDocument(a.services, { subject: 'Về việc triển khai trục liên thông quốc gia' });
    queueSendOutgoing(a.engine.ctx, doc.id, [agencyB.code]);
    expect((await a.engine.syncOnce()).ok).toBe(true);
    expect(axis.sent).toEqual([{ docId: 'vdxp-1', from: agencyA.code, to: [agencyB.code], messagetype: 'edoc' }]);

    const first = await b.engine.syncOnce();
    expect(first).toMatchObject({ ok: true, received: 1 });
    // Acknowledged on the axis (updateStatus): a second round lists nothing again.
    expect((await b.engine.syncOnce()).received).toBe(0);
    const [received] = incomingRows(b.services);
    expect(received).toMatchObject({ status: 'pending', subject: 'Về việc triển khai trục liên thông quốc gia' });
    await acceptIncoming(b.engine.ctx, received!.id, { arrivalDate: today });
    expect((await b.engine.syncOnce()).ok).toBe(true);
    expect(axis.sent.filter((s) => s.messagetype === 'status')).toHaveLength(2);

    expect((await a.engine.syncOnce()).ok).toBe(true);
    expect(statusesOf(a.services.db, doc.id).map((s) => [s.organId, s.statusCode])).toEqual([
      [agencyB.code, '01'],
      [agencyB.code, '03'],
    ]);
    expect(axis.refusedSignatures).toBe(0);
  });

  it('without a cursor: more pending than a page are all received in one round, each once', async () => {
    const axis = await startAxisFor(agencyA, agencyB);
    axes.push(axis);
    const a = engineOn(axis, agencyA);
    const b = engineOn(axis, agencyB, { pageSize: 2 });
    for (let i = 0; i < 5; i += 1) queueSendOutgoing(a.engine.ctx, (await issuedDocument(a.services)).id, [agencyB.code]);
    expect((await a.engine.syncOnce()).ok).toBe(true);
    expect(await b.engine.syncOnce()).toMatchObject({ ok: true, received: 5 });
    expect(incomingRows(b.services)).toHaveLength(5);
    expect((await b.engine.syncOnce()).received).toBe(0);
  });

  it('a wrong secret is refused by the axis: the round fails and says why, the document stays queued (not refused), nothing leaves', async () => {
    const axis = await startAxisFor(agencyA, agencyB);
    axes.push(axis);
    const a = engineOn(axis, agencyA, { secret: 'khong-phai-bi-mat' });
    const doc = await issuedDocument(a.services);
    queueSendOutgoing(a.engine.ctx, doc.id, [agencyB.code]);
    const round = await a.engine.syncOnce();
    expect(round.ok).toBe(false);
    expect(round.error).toMatch(/signature or agency refused/);
    expect(axis.refusedSignatures).toBeGreaterThan(0);
    expect(axis.sent).toEqual([]);
    // A configuration fault, not the document's: it waits in the outbox for the right secret.
    expect(listRefusals(a.services.db)).toEqual([]);
    expect(a.engine.state().pendingOutbox).toBe(1);
  });
});
