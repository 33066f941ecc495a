/**
 * Exchange between agencies through the reference server on loopback: statuses flow
 * back, accept/return, recall, classified documents refused, authorisation, leases,
 * the change feed between PCs of one agency, the 401 refresh, a day offline.
 */
import { describe, expect, it } from 'vitest';
import { updateIncoming } from '../../src-main/documents/documentEdits.js';
import { verifyAuditChain } from '../../src-main/store/auditLog.js';
import { acceptIncoming, answerRequest, listRequests, queueRecallOrUpdate, queueSendOutgoing, returnIncoming, statusesOf } from '../../src-main/sync/exchange.js';
import { acquireLease, releaseLease } from '../../src-main/sync/leases.js';
import { buildStatus } from '../../src-main/edxml/index.js';
import { agencyA, agencyB, agencyC, client, incomingRows, issuedDocument, password, settle, startBench, thisYear, today } from './harness.js';

async function login(url: string, agency: string, username = 'vanthu'): Promise<string> {
  const res = await fetch(`${url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ agency, username, password, pcId: 'probe' }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

describe('exchange between two agencies', () => {
  it('sends, receives as chờ tiếp nhận, acks, and the statuses 01/03/02 flow back to the sender', async () => {
    const server = await startBench();
    const a = client(server, agencyA);
    const b = client(server, agencyB);
    const doc1 = await issuedDocument(a.services);
    const doc2 = await issuedDocument(a.services);
    await settle(a.engine); // directory
    queueSendOutgoing(a.engine.ctx, doc1.id, [agencyB.code]);
    queueSendOutgoing(a.engine.ctx, doc2.id, [agencyB.code, agencyC.code]);
    await settle(a.engine);
    await settle(b.engine);
    const received = incomingRows(b.services);
    expect(received.map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(received.map((r) => r.arrival_number)).toEqual([null, null]);
    // Transport acks reached the server.
    expect(server.db.prepare("SELECT count(*) FROM deliveries WHERE recipient_code = ? AND state = 'done'").pluck().get(agencyB.code)).toBe(2);
    // The attachment arrived whole.
    const files = b.services.db.prepare('SELECT count(*) FROM document_files').pluck().get();
    expect(files).toBe(2);
    await settle(a.engine);
    expect(statusesOf(a.services.db, doc1.id).map((s) => s.statusCode)).toEqual(['01']);
    const [r1, r2] = received;
    const accepted = await acceptIncoming(b.engine.ctx, r1!.id);
    expect(accepted.status).toBe('registered');
    expect(accepted.arrivalNumber).toBe(1);
    returnIncoming(b.engine.ctx, r2!.id, 'Gửi nhầm đơn vị');
    await settle(b.engine);
    await settle(a.engine);
    expect(statusesOf(a.services.db, doc1.id).map((s) => s.statusCode)).toEqual(['01', '03']);
    const back = statusesOf(a.services.db, doc2.id);
    expect(back.map((s) => s.statusCode)).toEqual(['01', '02']);
    expect(back[1]?.description).toBe('Gửi nhầm đơn vị');
    // A second round changes nothing: exactly once.
    await settle(b.engine);
    expect(incomingRows(b.services)).toHaveLength(2);
    expect(verifyAuditChain(b.services.db).ok).toBe(true);
  });

  it('refuses classified documents for network sending and unsigned or unissued ones', async () => {
    const server = await startBench();
    const a = client(server, agencyA);
    for (const level of [1, 2, 3] as const) {
      const secret = await issuedDocument(a.services, { confidentiality: level });
      expect(() => queueSendOutgoing(a.engine.ctx, secret.id, [agencyB.code])).toThrow(/cannot be sent over the network/);
    }
    expect(a.services.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
  });

  it('recall: the recipient agrees (15), the document is cancelled but kept in the register; update refused (16)', async () => {
    const server = await startBench();
    const a = client(server, agencyA);
    const b = client(server, agencyB);
    const d1 = await issuedDocument(a.services);
    const d2 = await issuedDocument(a.services);
    await settle(a.engine);
    queueSendOutgoing(a.engine.ctx, d1.id, [agencyB.code]);
    queueSendOutgoing(a.engine.ctx, d2.id, [agencyB.code]);
    await settle(a.engine);
    await settle(b.engine);
    const [x1, x2] = incomingRows(b.services);
    await acceptIncoming(b.engine.ctx, x1!.id);
    await acceptIncoming(b.engine.ctx, x2!.id);
    queueRecallOrUpdate(a.engine.ctx, d1.id, 1, 'Sai thể thức');
    queueRecallOrUpdate(a.engine.ctx, d2.id, 2, 'Sửa hạn xử lý');
    await settle(a.engine);
    await settle(b.engine);
    const requests = listRequests(b.services.db);
    // A sends the recall and the update concurrently: their order at the server is not fixed.
    requests.sort((x, y) => x.businessType - y.businessType);
    expect(requests.map((r) => [r.businessType, r.documentId])).toEqual([
      [1, x1!.id],
      [2, x2!.id],
    ]);
    answerRequest(b.engine.ctx, requests[0]!.id, true);
    answerRequest(b.engine.ctx, requests[1]!.id, false, 'Đã phân công xử lý');
    await settle(b.engine);
    await settle(a.engine);
    const after = incomingRows(b.services);
    expect(after[0]?.status).toBe('cancelled');
    expect(after[0]?.arrival_number).toBe(1);
    expect(after[0]?.note).toMatch(/thu hồi/);
    expect(statusesOf(a.services.db, d1.id).map((s) => s.statusCode)).toEqual(['01', '03', '15']);
    expect(statusesOf(a.services.db, d2.id).map((s) => s.statusCode)).toEqual(['01', '03', '16']);
  });

  it('agency B cannot read, list, ack or answer for what agency A exchanges with C', async () => {
    const server = await startBench();
    const a = client(server, agencyA);
    const doc = await issuedDocument(a.services);
    await settle(a.engine);
    queueSendOutgoing(a.engine.ctx, doc.id, [agencyC.code]);
    await settle(a.engine);
    const pkg = server.db.prepare('SELECT id FROM packages').pluck().get() as number;
    const delivery = server.db.prepare('SELECT id FROM deliveries').pluck().get() as number;
    const tokenB = await login(server.url, agencyB.code);
    const auth = { Authorization: `Bearer ${tokenB}` };
    expect((await fetch(`${server.url}/v1/packages/${pkg}`, { headers: auth })).status).toBe(404);
    const inbox = (await (await fetch(`${server.url}/v1/inbox`, { headers: auth })).json()) as { items: unknown[] };
    expect(inbox.items).toEqual([]);
    const ack = await fetch(`${server.url}/v1/inbox/${delivery}/ack`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"result":"done"}' });
    expect(ack.status).toBe(404);
    // A status about A's document to C, sent by B, is refused; so is a package claiming to come from A.
    const status = buildStatus({
      from: { organId: agencyB.code, organName: agencyB.name },
      responseFor: { organId: agencyA.code, code: `${doc.codeNumber}/${doc.codeNotation}`, promulgationDate: today, documentId: `${agencyA.code},${today.replaceAll('-', '/')},${doc.codeNumber}/${doc.codeNotation}` },
      statusCode: '03',
      timestamp: new Date(),
    });
    const sent = await fetch(`${server.url}/v1/packages`, { method: 'POST', headers: { ...auth, 'Idempotency-Key': 'x1' }, body: status });
    expect(sent.status).toBe(404);
    // Small packages are kept in the server's database row, larger ones in packages/<sha256>.
    const forged = server.db.prepare('SELECT sha256, content FROM packages').get() as { sha256: string; content: Buffer | null };
    const bytes = forged.content ?? (await import('node:fs')).readFileSync(`${server.db.name.replace(/server\.db$/, '')}packages/${forged.sha256}`);
    const forgedSend = await fetch(`${server.url}/v1/packages`, { method: 'POST', headers: { ...auth, 'Idempotency-Key': 'x2' }, body: bytes });
    expect(forgedSend.status).toBe(403);
    // Without a token, nothing.
    expect((await fetch(`${server.url}/v1/inbox`)).status).toBe(401);
    // A leader's login cannot pull the exchange inbox (văn thư only).
    const leader = await login(server.url, agencyC.code, 'lanhdao');
    expect((await fetch(`${server.url}/v1/inbox`, { headers: { Authorization: `Bearer ${leader}` } })).status).toBe(403);
    // Wrong password.
    const bad = await fetch(`${server.url}/v1/auth/login`, { method: 'POST', body: JSON.stringify({ agency: agencyB.code, username: 'vanthu', password: 'sai', pcId: 'p' }) });
    expect(bad.status).toBe(401);
  });

  it('refreshes an expired login (401) without losing the round', async () => {
    const server = await startBench({ tokenLifetimeMs: 150 });
    const a = client(server, agencyA);
    const b = client(server, agencyB);
    await settle(a.engine);
    for (let i = 0; i < 3; i += 1) {
      const doc = await issuedDocument(a.services);
      queueSendOutgoing(a.engine.ctx, doc.id, [agencyB.code]);
      await new Promise((r) => setTimeout(r, 200));
      await settle(a.engine);
    }
    await settle(b.engine);
    await new Promise((r) => setTimeout(r, 200));
    await settle(b.engine);
    expect(incomingRows(b.services)).toHaveLength(3);
    expect(a.services.db.prepare("SELECT count(*) FROM outbox WHERE state <> 'done'").pluck().get()).toBe(0);
  });

  it('a clerk offline for a day of work catches up: numbered offline under its lease, sent and reported on return', async () => {
    const server = await startBench();
    const a = client(server, agencyA);
    const b = client(server, agencyB);
    await settle(b.engine);
    await acquireLease(b.engine.ctx, thisYear, 'in');
    // Morning: documents arrive while B is still online.
    await settle(a.engine);
    for (let i = 0; i < 5; i += 1) queueSendOutgoing(a.engine.ctx, (await issuedDocument(a.services)).id, [agencyB.code]);
    await settle(a.engine);
    await settle(b.engine);
    // The line goes down: a client pointing at a closed port.
    const offline = client({ url: 'http://127.0.0.1:9' }, agencyB, { services: b.services });
    const pending = incomingRows(b.services);
    for (const p of pending.slice(0, 4)) await acceptIncoming(offline.engine.ctx, p.id, { arrivalDate: today });
    returnIncoming(offline.engine.ctx, pending[4]!.id, 'Không thuộc thẩm quyền');
    const ownDocs = [];
    for (let i = 0; i < 3; i += 1) {
      const d = await issuedDocument(b.services);
      queueSendOutgoing(offline.engine.ctx, d.id, [agencyA.code]);
      ownDocs.push(d);
    }
    const failed = await offline.engine.syncOnce();
    expect(failed.ok).toBe(false);
    expect(offline.engine.state().online).toBe(false);
    expect(offline.engine.state().pendingOutbox).toBeGreaterThan(0);
    // Evening: back online.
    await settle(b.engine);
    await settle(a.engine);
    expect(incomingRows(a.services)).toHaveLength(3);
    const numbers = server.db.prepare("SELECT number FROM register_numbers WHERE agency_code = ? AND series = 'in' ORDER BY number").pluck().all(agencyB.code);
    expect(numbers).toEqual([1, 2, 3, 4]);
    const sent = a.services.db.prepare("SELECT document_id FROM exchange_documents WHERE direction = 'outgoing'").pluck().all() as number[];
    const codes = sent.flatMap((id) => statusesOf(a.services.db, id).map((s) => s.statusCode)).sort();
    expect(codes).toEqual(['01', '01', '01', '01', '01', '02', '03', '03', '03', '03']);
  });
});

describe('registers across PCs of one agency', () => {
  it('numbers stay unique and consecutive through explicit lease transfers and server numbering; one PC receives', async () => {
    const server = await startBench();
    const a = client(server, agencyA);
    const pc1 = client(server, agencyB);
    const pc2 = client(server, agencyB, { username: 'vanthu2' });
    await settle(a.engine);
    const sendBatch = async (n: number) => {
      for (let i = 0; i < n; i += 1) queueSendOutgoing(a.engine.ctx, (await issuedDocument(a.services)).id, [agencyB.code]);
      await settle(a.engine);
    };
    await sendBatch(3);
    // pc2 syncs first: it takes the free registers, 'in' among them, and with it the agency's inbox.
    await settle(pc2.engine);
    expect(incomingRows(pc2.services)).toHaveLength(3);
    expect(pc2.engine.state().receivedBy).toBeNull();
    // The incoming register moves to pc1 (explicit transfer): the inbox follows it.
    await releaseLease(pc2.engine.ctx, thisYear, 'in', () => pc2.engine.pushOutbox());
    await acquireLease(pc1.engine.ctx, thisYear, 'in');
    await sendBatch(3);
    await settle(pc2.engine);
    expect(incomingRows(pc2.services)).toHaveLength(3);
    expect(pc2.engine.state().receivedBy).toBe(pc1.engine.pcId);
    await settle(pc1.engine);
    expect(incomingRows(pc1.services)).toHaveLength(3);
    // Every delivery was taken by exactly one PC.
    const keys = [pc1, pc2].flatMap((pc) => pc.services.db.prepare('SELECT delivery_key FROM exchange_inbox').pluck().all() as string[]);
    expect(new Set(keys).size).toBe(6);
    expect(keys).toHaveLength(6);
    const at = { arrivalDate: today };
    for (const d of incomingRows(pc1.services)) await acceptIncoming(pc1.engine.ctx, d.id, at);
    const two = incomingRows(pc2.services);
    // pc2 does not hold the lease: the server refuses to number a leased series.
    await expect(acceptIncoming(pc2.engine.ctx, two[0]!.id, at)).rejects.toThrow(/refused a number|lease/i);
    // Explicit transfer pc1 → pc2.
    await expect(acquireLease(pc2.engine.ctx, thisYear, 'in')).rejects.toThrow(/refused/);
    await releaseLease(pc1.engine.ctx, thisYear, 'in', () => pc1.engine.pushOutbox());
    const { startNumber } = await acquireLease(pc2.engine.ctx, thisYear, 'in');
    expect(startNumber).toBe(3);
    await acceptIncoming(pc2.engine.ctx, two[0]!.id, at);
    await acceptIncoming(pc2.engine.ctx, two[1]!.id, at);
    await releaseLease(pc2.engine.ctx, thisYear, 'in', () => pc2.engine.pushOutbox());
    // Nobody holds it: the server numbers.
    await acceptIncoming(pc2.engine.ctx, two[2]!.id, at);
    const local = [...incomingRows(pc1.services), ...incomingRows(pc2.services)].map((r) => r.arrival_number).sort((x, y) => (x ?? 0) - (y ?? 0));
    expect(local).toEqual([1, 2, 3, 4, 5, 6]);
    const onServer = server.db.prepare("SELECT number FROM register_numbers WHERE agency_code = ? AND series = 'in' ORDER BY number").pluck().all(agencyB.code);
    expect(onServer).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('change feed: the leader PC sees the clerk registrations, the clerk sees the leader assignment', async () => {
    const server = await startBench();
    const a = client(server, agencyA);
    const clerk = client(server, agencyB);
    const leader = client(server, agencyB, { username: 'lanhdao' });
    await settle(a.engine);
    await acquireLease(clerk.engine.ctx, thisYear, 'in');
    for (let i = 0; i < 2; i += 1) queueSendOutgoing(a.engine.ctx, (await issuedDocument(a.services)).id, [agencyB.code]);
    await settle(a.engine);
    await settle(clerk.engine);
    for (const d of incomingRows(clerk.services)) await acceptIncoming(clerk.engine.ctx, d.id, { arrivalDate: today });
    await settle(clerk.engine);
    // The leader's PC does not pull the exchange inbox (not a văn thư), it reads the feed.
    const leaderReport = await leader.engine.syncOnce();
    expect(leaderReport.error).toMatch(/văn thư|clerk/);
    const { pullFeed, pushFeed } = await import('../../src-main/sync/feed.js');
    await pullFeed(leader.engine.ctx);
    const seen = incomingRows(leader.services);
    expect(seen.map((r) => [r.status, r.arrival_number])).toEqual([
      ['registered', 1],
      ['registered', 2],
    ]);
    updateIncoming(leader.services.db, { id: seen[0]!.id, patch: { recipientPerson: 'Chuyên viên Lê Thị Mai' } });
    await pushFeed(leader.engine.ctx);
    await settle(clerk.engine);
    const person = clerk.services.db.prepare('SELECT recipient_person FROM documents WHERE arrival_number = 1').pluck().get();
    expect(person).toBe('Chuyên viên Lê Thị Mai');
    // No echo: the clerk's apply is not pushed back as a new change.
    const feedCount = server.db.prepare('SELECT count(*) FROM feed').pluck().get() as number;
    await settle(clerk.engine);
    expect(server.db.prepare('SELECT count(*) FROM feed').pluck().get()).toBe(feedCount);
  });
});
