/**
 * `vanthu sync` against the reference server on loopback: one round receives what was
 * sent to the agency; a second PC of the agency is told which PC receives; a wrong
 * password is refused with exit 1 and never printed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { syncCommand } from '../../src-main/cli/syncCommand.js';
import { queueSendOutgoing } from '../../src-main/sync/exchange.js';
import { agencyA, agencyB, client, clientStore, issuedDocument, password, settle, startBench, tempDir } from '../sync/harness.js';

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
});
