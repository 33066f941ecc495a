import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src-main/cli/vanthu.js';
import { simplePdf } from '../../src-main/documents/simplePdf.js';
import { agencyYear } from '../../src-main/documents/time.js';
import { tempDir } from '../helpers.js';

async function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(args, (t) => (out += t));
  return { code, out };
}

describe('vanthu CLI', () => {
  it('creates demo data, imports a PDF, finds it without accents and lists the register', async () => {
    const dir = tempDir();
    const demo = await run(['--data-dir', dir, '--json', 'demo', '--documents', '60']);
    expect(demo.code).toBe(0);
    const made = JSON.parse(demo.out).value as { incoming: number; outgoing: number };
    expect(made.incoming + made.outgoing).toBe(60);

    const pdf = path.join(dir, 'cv.pdf');
    fs.writeFileSync(pdf, simplePdf(['Ve viec kiem ke tai san cong']));
    const args = ['--data-dir', dir, '--json', 'import', pdf, '--from', 'Sở Xây dựng', '--code', '77/SXD-KHTC', '--date', '2026-02-03', '--type', 'Công văn', '--subject', 'Về việc kiểm kê tài sản công'];
    const imported = await run(args);
    expect(imported.code).toBe(0);
    const doc = JSON.parse(imported.out).value as { id: number; arrivalNumber: number; code: string };
    expect(doc.code).toBe('77/SXD-KHTC');
    expect(doc.arrivalNumber).toBe(made.incoming + 1);

    const duplicate = await run(args);
    expect(duplicate.code).toBe(1);
    expect(JSON.parse(duplicate.out).error.code).toBe('DUPLICATE_SUSPECTED');

    const found = await run(['--data-dir', dir, '--json', 'search', 'kiem ke tai san']);
    expect(JSON.parse(found.out).value.rows[0].id).toBe(doc.id);

    const year = agencyYear(new Date());
    const incoming = JSON.parse((await run(['--data-dir', dir, '--json', 'registers', '--year', String(year)])).out).value;
    expect(incoming.total).toBe(made.incoming + 1);
    expect(incoming.rows.map((r: { number: string }) => Number(r.number))).toEqual(Array.from({ length: made.incoming + 1 }, (_, i) => i + 1));
    const outgoing = JSON.parse((await run(['--data-dir', dir, '--json', 'registers', '--direction', 'outgoing', '--year', String(year)])).out).value;
    expect(outgoing.rows.length).toBeGreaterThan(0);
    expect(outgoing.rows[0].number).toMatch(/^01\/[^/]+-SNV$|^01\/SNV-[A-Z]+$/);
  });

  it('explains usage errors with exit code 2', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['--data-dir', tempDir(), 'import'])).code).toBe(2);
    expect((await run(['--bogus'])).code).toBe(2);
  });
});
