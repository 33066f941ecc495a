/**
 * The PC holding the incoming register breaks down: the agency's inbox waits for it
 * (another PC receives nothing and is told which PC does) until an administrator takes
 * the register back on the server (`vanthu-server lease revoke`). Then the next clerk PC
 * to sync takes the register and the inbox, and numbering continues after the last
 * number the broken PC reported.
 */
import { describe, expect, it } from 'vitest';
import { acceptIncoming, queueSendOutgoing } from '../../src-main/sync/exchange.js';
import { serverMain } from '../../src-server/cli.js';
import { agencyA, agencyB, client, incomingRows, type Client, issuedDocument, settle, startBench, tempDir, thisYear, today } from './harness.js';

/** Deliveries this PC took from the agency's inbox (documents replicated from the other PC by the feed are not). */
const received = (pc: Client): number => pc.services.db.prepare('SELECT count(*) FROM exchange_inbox').pluck().get() as number;

describe('a register taken back from a PC that cannot release it', () => {
  it('moves the inbox and the numbering to the next clerk PC, after the last reported number', async () => {
    const dataDir = tempDir();
    const server = await startBench({ dataDir });
    const a = client(server, agencyA);
    const pc1 = client(server, agencyB);
    const pc2 = client(server, agencyB, { username: 'vanthu2' });
    await settle(a.engine);
    const send = async (n: number) => {
      for (let i = 0; i < n; i += 1) queueSendOutgoing(a.engine.ctx, (await issuedDocument(a.services)).id, [agencyB.code]);
      await settle(a.engine);
    };
    // pc1 syncs first: it holds the registers, receives and numbers two documents, reports them.
    await settle(pc1.engine);
    await send(2);
    await settle(pc1.engine);
    for (const d of incomingRows(pc1.services)) await acceptIncoming(pc1.engine.ctx, d.id, { arrivalDate: today });
    await settle(pc1.engine);
    // pc1 breaks down. A third document waits on the server; pc2 gets nothing and is told why.
    await send(1);
    await settle(pc2.engine);
    expect(received(pc2)).toBe(0);
    expect(pc2.engine.state().receivedBy).toBe(pc1.engine.pcId);

    const out: string[] = [];
    const code = await serverMain(['--data-dir', dataDir, 'lease', 'revoke', agencyB.code, String(thisYear), 'in'], (t) => out.push(t));
    expect(code).toBe(0);
    expect(out.join('')).toMatch(new RegExp(`taken back from ${pc1.engine.pcId}; numbering continues after 2`));

    await settle(pc2.engine);
    expect(pc2.engine.state().receivedBy).toBeNull();
    expect(received(pc2)).toBe(1);
    const waiting = incomingRows(pc2.services).filter((r) => r.status === 'pending');
    expect(waiting).toHaveLength(1);
    await acceptIncoming(pc2.engine.ctx, waiting[0]!.id, { arrivalDate: today });
    expect(incomingRows(pc2.services).find((r) => r.id === waiting[0]!.id)?.arrival_number).toBe(3);
    await settle(pc2.engine);
    const numbers = server.db.prepare("SELECT number FROM register_numbers WHERE agency_code = ? AND series = 'in' AND year = ? ORDER BY number").pluck().all(agencyB.code, thisYear);
    expect(numbers).toEqual([1, 2, 3]);

    const listed: string[] = [];
    await serverMain(['--data-dir', dataDir, 'lease', 'list', agencyB.code], (t) => listed.push(t));
    expect(listed.join('')).toContain(`${thisYear} in: ${pc2.engine.pcId}, last number 3`);
  }, 60_000);
});
