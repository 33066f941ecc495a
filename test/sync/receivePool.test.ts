/**
 * The parse pool with its real worker threads (the built receiveWorker.js: under the test
 * runner's TypeScript sources the pool parses in-process instead, so this test loads the
 * build): many packages at once over two workers, buffers moved rather than copied, the
 * checksum refused off the main thread, a hostile package refused like in-process.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEdxml, buildStatus } from '../../src-main/edxml/index.js';
import type { ReadAnswer, ReceivePool as Pool } from '../../src-main/sync/receivePool.js';
import { newPackage, statusMessage, testNow } from '../edxml/fixtures.js';
import { hostileCorpus } from '../edxml/hostileCorpus.js';

const built = path.resolve('dist/main/src-main/sync/receivePool.js');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function builtPool(size: number): Promise<Pool> {
  expect(fs.existsSync(built), 'run `npm run build` first').toBe(true);
  const { ReceivePool } = (await import(pathToFileURL(built).href)) as { ReceivePool: new (size?: number) => Pool };
  return new ReceivePool(size);
}

const sha256 = (b: Uint8Array): string => crypto.createHash('sha256').update(b).digest('hex');

describe('receive pool with worker threads', () => {
  it('reads 40 packages over two workers, buffers moved to them, not copied', async () => {
    const pool = await builtPool(2);
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'vanthu-pool-'));
    dirs.push(temp);
    try {
      const packages = Array.from({ length: 40 }, (_, i) => {
        const pkg = newPackage();
        const pdf = crypto.randomBytes(50_000 + i * 997);
        return { bytes: buildEdxml({ ...pkg, attachments: [{ contentId: 'main', name: `cv-${i}.pdf`, contentType: 'application/pdf', bytes: pdf }] }, { now: testNow }), pdf };
      });
      const views: Uint8Array[] = [];
      const answers = await Promise.all(
        packages.map(({ bytes }) => {
          const into = pool.buffer(bytes.byteLength);
          into.set(bytes);
          views.push(into);
          return pool.read({ bytes: into }, temp, testNow, sha256(bytes));
        }),
      );
      // Moved to the workers, not copied: the main thread's views are detached.
      expect(views.every((v) => v.byteLength === 0)).toBe(true);
      answers.forEach((answer: ReadAnswer, i) => {
        expect(answer.ok).toBe(true);
        if (!answer.ok || answer.parsed.kind !== 'document') throw new Error('not a document');
        const [attachment] = answer.parsed.document.attachments;
        expect(attachment?.name).toBe(`cv-${i}.pdf`);
        expect(attachment?.sha256).toBe(sha256(packages[i]!.pdf));
        expect(fs.readFileSync(attachment!.file).equals(packages[i]!.pdf)).toBe(true);
      });
      const again = pool.buffer(packages[0]!.bytes.byteLength);
      expect(again.byteLength).toBe(packages[0]!.bytes.byteLength);
      expect(pool.threads).toBe(2);
    } finally {
      await pool.close();
    }
    // Ended, not left idle (the app closes its pool when sync ends).
    expect(pool.threads).toBe(0);
  }, 60_000);

  it('refuses a package whose bytes do not match the announced SHA-256, and hostile packages like in-process', async () => {
    const pool = await builtPool(1);
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'vanthu-pool-'));
    dirs.push(temp);
    try {
      const status = buildStatus(statusMessage());
      const into = pool.buffer(status.byteLength);
      into.set(status);
      const corrupt = await pool.read({ bytes: into }, temp, testNow, sha256(new Uint8Array([1, 2, 3])));
      expect(corrupt).toMatchObject({ ok: false, corrupt: expect.stringMatching(/checksum/) });
      // The cases refused under the default limits (others are refused only with smaller limits).
      for (const c of hostileCorpus().filter((h) => h.limits === undefined)) {
        const answer = await pool.read({ bytes: new Uint8Array(c.bytes) }, temp, testNow);
        expect(answer.ok, c.name).toBe(false);
        expect(answer, c.name).toHaveProperty('refused');
      }
      expect(fs.readdirSync(temp)).toEqual([]);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
