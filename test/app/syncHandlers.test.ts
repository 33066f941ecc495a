/**
 * The sync and exchange channels through `dispatch`, against the reference server on
 * loopback: configure (a wrong password keeps nothing and is never echoed), sync now,
 * a received document as chờ tiếp nhận, accept (số đến) and return (reason required)
 * with validation, statuses back at the sender, classified documents refused.
 */
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/api/dispatch.js';
import { agencyA, agencyB, agencyC, clientStore, issuedDocument, password, startBench } from '../sync/harness.js';
import { axisSecret, startAxisFor } from '../sync/vdxpAxis.js';
import { ok, refused, syncUntilSent as settle } from './appCalls.js';

describe('sync and exchange channels', () => {
  it('configure: validation, a refused login keeps nothing, the password never comes back', async () => {
    const server = await startBench();
    const a = clientStore(agencyA);
    const before = await ok(a, 'sync:state', {});
    expect(before.configured).toBe(false);
    expect((await refused(a, 'sync:now', {})).code).toBe('SETUP_REQUIRED');
    expect((await refused(a, 'sync:configure', { serverUrl: 'file:///etc/passwd', username: 'vanthu', password })).code).toBe('INVALID_INPUT');
    expect((await refused(a, 'sync:configure', { serverUrl: server.url, username: 'vanthu' })).code).toBe('INVALID_INPUT');
    const wrong = await dispatch(a.handlers, 'sync:configure', { serverUrl: server.url, username: 'vanthu', password: 'sai-mat-khau-123' });
    expect(wrong.ok ? 'ok' : wrong.error.code).toBe('FORBIDDEN');
    expect(JSON.stringify(wrong)).not.toContain('sai-mat-khau-123');
    expect((await ok(a, 'sync:state', {})).configured).toBe(false);

    const state = await ok(a, 'sync:configure', { serverUrl: server.url, username: 'vanthu', password });
    expect(state).toMatchObject({ configured: true, serverUrl: server.url, username: 'vanthu' });
    expect(JSON.stringify(state)).not.toContain(password);
    // nothing of the password in the store
    const dump = a.db.prepare('SELECT key, value FROM sync_state').all();
    expect(JSON.stringify(dump)).not.toContain(password);
    const run = await settle(a);
    expect(run.state.online).toBe(true);
    expect(run.state.lastSyncAt).not.toBeNull();
  });

  it('send → received as chờ tiếp nhận → accept (số đến) / return (reason required) → statuses back', async () => {
    const server = await startBench();
    const a = clientStore(agencyA);
    const b = clientStore(agencyB);
    await ok(a, 'sync:configure', { serverUrl: server.url, username: 'vanthu', password });
    await ok(b, 'sync:configure', { serverUrl: server.url, username: 'vanthu', password });
    await settle(a);
    await settle(b);
    const directory = await ok(a, 'exchange:directory', {});
    expect(directory.map((d) => d.code)).toContain(agencyB.code);
    expect(directory.map((d) => d.code)).not.toContain(agencyA.code);

    const doc1 = await issuedDocument(a, { subject: 'Về việc phân bổ ngân sách đợt 1' });
    const doc2 = await issuedDocument(a, { subject: 'Về việc phân bổ ngân sách đợt 2' });
    const secret = await issuedDocument(a, { subject: 'Văn bản mật', confidentiality: 1 });
    expect((await refused(a, 'exchange:send', { id: doc1.id, recipients: [] })).code).toBe('INVALID_INPUT');
    expect((await refused(a, 'exchange:send', { id: doc1.id, recipients: ['not-a-code'] })).code).toBe('INVALID_INPUT');
    const classified = await refused(a, 'exchange:send', { id: secret.id, recipients: [agencyB.code] });
    expect(classified.code).toBe('FORBIDDEN');
    expect(classified.details).toMatchObject({ reason: 'CLASSIFIED' });
    await ok(a, 'exchange:send', { id: doc1.id, recipients: [agencyB.code] });
    await ok(a, 'exchange:send', { id: doc2.id, recipients: [agencyB.code] });
    expect((await refused(a, 'exchange:send', { id: doc1.id, recipients: [agencyB.code] })).code).toBe('CONFLICT');
    await settle(a);
    const got = await settle(b);
    expect(got.state.pendingIncoming).toBe(2);

    const pending = await ok(b, 'documents:list', { filters: { direction: 'incoming', status: 'pending' } });
    expect(pending.rows.map((r) => r.subject).sort()).toEqual(['Về việc phân bổ ngân sách đợt 1', 'Về việc phân bổ ngân sách đợt 2']);
    const [first, second] = [...pending.rows].sort((x, y) => x.id - y.id);

    expect((await refused(b, 'exchange:accept', { id: first!.id, arrivalDate: '05/03/2026' })).code).toBe('INVALID_INPUT');
    expect((await refused(b, 'exchange:accept', { id: first!.id, extra: 1 })).code).toBe('INVALID_INPUT');
    const accepted = await ok(b, 'exchange:accept', { id: first!.id });
    expect(accepted.status).toBe('registered');
    expect(accepted.arrivalNumber).toBe(1);
    expect((await refused(b, 'exchange:accept', { id: first!.id })).code).toBe('CONFLICT');

    expect((await refused(b, 'exchange:return', { id: second!.id, reason: '   ' })).code).toBe('INVALID_INPUT');
    expect((await refused(b, 'exchange:return', { id: second!.id })).code).toBe('INVALID_INPUT');
    const returned = await ok(b, 'exchange:return', { id: second!.id, reason: 'Gửi nhầm đơn vị' });
    expect(returned.status).toBe('returned');
    expect((await refused(b, 'exchange:return', { id: accepted.id, reason: 'x' })).code).toBe('CONFLICT');

    await settle(b);
    await settle(a);
    const s1 = await ok(a, 'exchange:statuses', { id: doc1.id });
    expect(s1.map((s) => s.statusCode)).toEqual(['01', '03']);
    expect(s1[0]?.organName).toBe(agencyB.name);
    const s2 = await ok(a, 'exchange:statuses', { id: doc2.id });
    expect(s2.map((s) => [s.statusCode, s.description])).toEqual([
      ['01', expect.any(String)],
      ['02', 'Gửi nhầm đơn vị'],
    ]);
    expect(await ok(b, 'exchange:requests', {})).toEqual([]);
    expect((await refused(b, 'exchange:answer', { requestId: 42, agree: true })).code).toBe('NOT_FOUND');
  });

  it('accept works without a server (single-PC mode), and refuses a document that is not waiting', async () => {
    const a = clientStore(agencyA);
    const doc = await issuedDocument(a);
    expect((await refused(a, 'exchange:accept', { id: doc.id })).code).toBe('CONFLICT');
    expect((await refused(a, 'exchange:accept', { id: 9999 })).code).toBe('NOT_FOUND');
  });
});

describe('sync with the national axis (VDXP) from the app', () => {
  it('configure with the agency code and secret: a wrong secret keeps nothing; then rounds receive through the axis', async () => {
    const secrets = { a: axisSecret(agencyA.code), b: axisSecret(agencyB.code) };
    const axis = await startAxisFor(agencyA, agencyB);
    try {
      const a = clientStore(agencyA);
      const b = clientStore(agencyB);
      // b used the provincial server before (its directory lists agency C too).
      const server = await startBench();
      await ok(b, 'sync:configure', { serverUrl: server.url, username: 'vanthu', password });
      await ok(b, 'sync:now', {});
      expect((await ok(b, 'exchange:directory', {})).map((d) => d.code)).toContain(agencyC.code);
      // The provincial server needs a user name; the axis does not.
      expect((await refused(b, 'sync:configure', { serverUrl: axis.url, password: secrets.b })).code).toBe('INVALID_INPUT');
      const wrong = await dispatch(b.handlers, 'sync:configure', { protocol: 'vdxp', serverUrl: axis.url, password: 'khong-phai-bi-mat' });
      expect(wrong.ok ? 'ok' : [wrong.error.code, (wrong.error.details as { reason?: string }).reason]).toEqual(['FORBIDDEN', 'AXIS_REJECTED']);
      expect(JSON.stringify(wrong)).not.toContain('khong-phai-bi-mat');
      // Refused: the provincial server stays configured.
      expect(await ok(b, 'sync:state', {})).toMatchObject({ configured: true, protocol: 'reference', serverUrl: server.url });

      const state = await ok(b, 'sync:configure', { protocol: 'vdxp', serverUrl: axis.url, password: secrets.b });
      expect(state).toMatchObject({ configured: true, protocol: 'vdxp', serverUrl: axis.url, username: agencyB.code });
      expect(JSON.stringify(state)).not.toContain(secrets.b);

      await ok(a, 'sync:configure', { protocol: 'vdxp', serverUrl: axis.url, password: secrets.a });
      const doc = await issuedDocument(a);
      await ok(a, 'exchange:send', { id: doc.id, recipients: [agencyB.code] });
      await settle(a);
      const run = await ok(b, 'sync:now', {});
      expect(run).toMatchObject({ ok: true, received: 1 });
      expect(run.state.online).toBe(true);
      // The directory came from the axis (once a day from now on), not kept from the provincial server.
      expect((await ok(b, 'exchange:directory', {})).map((d) => d.code)).toEqual([agencyA.code]);
      await b.sync.stop();
      await a.sync.stop();
    } finally {
      await axis.close();
    }
  });
});
