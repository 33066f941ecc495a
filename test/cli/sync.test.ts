/**
 * `vanthu sync` against the reference server on loopback: one round receives what was
 * sent to the agency; a second PC of the agency is told which PC receives; a wrong
 * password is refused with exit 1 and never printed. The same against a stand-in of the
 * national axis (`--protocol vdxp`, the secret in place of the password).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { syncCommand } from '../../src-main/cli/syncCommand.js';
import { queueSendOutgoing } from '../../src-main/sync/exchange.js';
import { SyncEngine } from '../../src-main/sync/engine.js';
import { VdxpTransport } from '../../src-main/sync/vdxpTransport.js';
import { agencyA, agencyB, client, clientStore, issuedDocument, password, settle, startBench, tempDir } from '../sync/harness.js';
import { axisSecret, startAxisFor } from '../sync/vdxpAxis.js';

const saved = process.env['VANTHU_SYNC_PASSWORD'];
afterEach(() => {
  if (saved === undefined) delete process.env['VANTHU_SYNC_PASSWORD'];
  else process.env['VANTHU_SYNC_PASSWORD'] = saved;
});

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await syncCommand(argv, (t) => out.push(t));
  return { code, out: out.join('') };
}

describe('vanthu sync', () => {
  it('one round receives; another PC is told who receives; a wrong password is refused', async () => {
    const server = await startBench();
    const a = client(server, agencyA);
    await settle(a.engine);
    for (let i = 0; i < 2; i += 1) queueSendOutgoing(a.engine.ctx, (await issuedDocument(a.services)).id, [agencyB.code]);
    await settle(a.engine);

    const first = tempDir();
    const second = tempDir();
    for (const dir of [first, second]) clientStore(agencyB, dir).close();

    process.env['VANTHU_SYNC_PASSWORD'] = 'not-the-password';
    const refused = await run(['--data-dir', first, '--server', server.url, '--user', 'vanthu']);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/sync failed|refused/);
    expect(refused.out).not.toContain('not-the-password');

    process.env['VANTHU_SYNC_PASSWORD'] = password;
    const ok = await run(['--data-dir', first, '--server', server.url, '--user', 'vanthu', '--rounds', '5']);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^synced: 2 received/);

    const other = await run(['--data-dir', second, '--server', server.url, '--user', 'vanthu2', '--json']);
    expect(other.code).toBe(0);
    const answer = JSON.parse(other.out) as { report: { received: number }; state: { receivedBy: string | null } };
    expect(answer.report.received).toBe(0);
    expect(answer.state.receivedBy).toMatch(/^pc-/);
  }, 60_000);

  it('--protocol vdxp: receives from the axis with the secret; a wrong secret is refused and never printed', async () => {
    const secrets = { a: axisSecret(agencyA.code), b: axisSecret(agencyB.code) };
    const axis = await startAxisFor(agencyA, agencyB);
    try {
      const a = clientStore(agencyA);
      const sender = new SyncEngine({ db: a.db, files: a.files, dataDir: a.dataDir, transport: new VdxpTransport({ endpoint: axis.url, systemId: agencyA.code, secret: secrets.a }) });
      queueSendOutgoing(sender.ctx, (await issuedDocument(a)).id, [agencyB.code]);
      expect((await sender.syncOnce()).ok).toBe(true);
      const dir = tempDir();
      clientStore(agencyB, dir).close();

      process.env['VANTHU_SYNC_PASSWORD'] = 'khong-phai-bi-mat';
      const refused = await run(['--protocol', 'vdxp', '--data-dir', dir, '--server', axis.url]);
      expect(refused.code).toBe(1);
      expect(refused.out).toMatch(/sync failed: .*signature or agency refused/);
      expect(refused.out).not.toContain('khong-phai-bi-mat');

      process.env['VANTHU_SYNC_PASSWORD'] = secrets.b;
      expect((await run(['--protocol', 'vdxp', '--data-dir', dir, '--server', axis.url, '--acquire-lease', 'in'])).code).toBe(2);
      const ok = await run(['--protocol', 'vdxp', '--data-dir', dir, '--server', axis.url]);
      expect(ok.code).toBe(0);
      expect(ok.out).toMatch(/^synced: 1 received/);
    } finally {
      await axis.close();
    }
  }, 60_000);
});
