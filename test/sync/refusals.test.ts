/**
 * A document sent to an agency the provincial server does not know is refused (422): the
 * outbox item stays, marked, with the server's code and words; the clerk sees it among the
 * refusals and sends it again once the administrator has added the agency — then it goes.
 */
import { describe, expect, it } from 'vitest';
import { listRefusals, retryRefusal } from '../../src-main/sync/refusals.js';
import { queueSendOutgoing } from '../../src-main/sync/exchange.js';
import { addAgency } from '../../src-server/store.js';
import { agencyA, client, issuedDocument, settle, startBench } from './harness.js';

const stranger = { code: '000.00.77.H14', name: 'Sở Ngoại vụ tỉnh Cao Bằng' };

describe('refused outbox items', () => {
  it('are listed with the server code and reason, and go once sent again after the cause is mended', async () => {
    const server = await startBench();
    const a = client(server, agencyA);
    await settle(a.engine);
    const doc = await issuedDocument(a.services, { subject: 'Về việc phối hợp tổ chức hội nghị' });
    queueSendOutgoing(a.engine.ctx, doc.id, [stranger.code]);
    const round = await a.engine.syncOnce();
    expect(round.rejected).toBe(1);
    expect(a.engine.state().rejectedOutbox).toBe(1);
    const [refusal, ...others] = listRefusals(a.services.db);
    expect(others).toEqual([]);
    expect(refusal).toMatchObject({
      kind: 'document',
      documentId: doc.id,
      documentSubject: 'Về việc phối hợp tổ chức hội nghị',
      documentCode: `${doc.codeNumber}/${doc.codeNotation}`,
      code: 'UNKNOWN_RECIPIENT',
      reason: expect.stringContaining(stranger.code),
    });
    // Refused again while nothing changed on the server: the item comes back with the same code.
    retryRefusal(a.services.db, refusal!.id);
    expect(listRefusals(a.services.db)).toEqual([]);
    await settle(a.engine);
    expect(listRefusals(a.services.db).map((r) => r.code)).toEqual(['UNKNOWN_RECIPIENT']);
    // Mended: the administrator adds the agency; sent again, the document goes.
    addAgency(server.db, stranger.code, stranger.name);
    retryRefusal(a.services.db, refusal!.id);
    await settle(a.engine);
    expect(listRefusals(a.services.db)).toEqual([]);
    const delivered = server.db
      .prepare("SELECT count(*) FROM deliveries d JOIN packages p ON p.id = d.package_id WHERE d.recipient_code = ? AND p.kind = 'edoc'")
      .pluck()
      .get(stranger.code);
    expect(delivered).toBe(1);
    // Only refused items can be sent again.
    expect(() => retryRefusal(a.services.db, refusal!.id)).toThrow(/No refused outbox item/);
    const audit = a.services.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'sync.retry' AND entity_id = ?").pluck().get(doc.id);
    expect(audit).toBe(2);
  }, 60_000);
});
