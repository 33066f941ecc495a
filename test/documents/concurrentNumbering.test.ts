/**
 * Two processes registering into the same store at once (two app windows, or the
 * app and the CLI): numbers stay unique and consecutive. Uses the built CLI.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { simplePdf } from '../../src-main/documents/simplePdf.js';
import { openDatabase, closeDatabase } from '../../src-main/store/database.js';
import { freshServices, tempDir } from '../helpers.js';

const cli = path.resolve('bin/vanthu.js');

function registerMany(dataDir: string, pdf: string, tag: string, count: number): Promise<number> {
  const script = `
    const { main } = await import(${JSON.stringify(path.resolve('dist/main/src-main/cli/vanthu.js'))});
    let failures = 0;
    for (let i = 0; i < ${count}; i += 1) {
      const code = await main(['--data-dir', ${JSON.stringify(dataDir)}, '--json', 'import', ${JSON.stringify(pdf)},
        '--from', 'Sở ${tag}', '--code', i + '/${tag}', '--date', '2026-01-05', '--type', 'Công văn', '--subject', 'Văn bản ' + i], () => {});
      if (code !== 0) failures += 1;
    }
    process.exit(failures);`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? -1));
  });
}

describe('numbering across processes', () => {
  it('keeps số đến unique and consecutive when two processes register at once', async () => {
    expect(fs.existsSync(cli), 'run `npm run build` first').toBe(true);
    const dataDir = tempDir();
    freshServices({ dataDir }).close();
    const pdf = path.join(tempDir(), 'a.pdf');
    fs.writeFileSync(pdf, simplePdf(['Cong van']));
    const failures = await Promise.all([registerMany(dataDir, pdf, 'A', 40), registerMany(dataDir, pdf, 'B', 40)]);
    expect(failures).toEqual([0, 0]);
    const db = openDatabase(dataDir);
    const numbers = db.prepare("SELECT arrival_number FROM documents WHERE direction = 'incoming' ORDER BY arrival_number").pluck().all();
    expect(numbers).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    const senders = new Set(db.prepare('SELECT sender_name FROM documents').pluck().all());
    expect(senders).toEqual(new Set(['Sở A', 'Sở B']));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    closeDatabase(db, dataDir);
  }, 120_000);
});
