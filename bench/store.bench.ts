/**
 * Store benchmark: N generated documents (default 100,000; realistic Vietnamese
 * metadata and ~2 KB of text each). Prints list-page p95, search p95 (two words,
 * no accents) against a naive LIKE scan of the same rows in the same run,
 * registration p95, open time and database size.
 *   node dist/main/bench/store.bench.js [--documents 100000] [--data-dir DIR]
 * Targets (issue 2): list ≤ 5 ms, search ≤ 20 ms and ≥ 50× the naive scan, register ≤ 10 ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { dispatch } from '../src-main/api/dispatch.js';
import { openServices, type AppServices } from '../src-main/app/services.js';
import { generateDemo } from '../src-main/documents/demoData.js';
import { databasePath } from '../src-main/store/database.js';
import { argValue, ms, timeRuns } from './measure.js';

const documents = Number(argValue('--documents', '100000'));
const keep = process.argv.includes('--keep');
const dataDir = argValue('--data-dir', fs.mkdtempSync(path.join(os.tmpdir(), 'vanthu-bench-')));

// Two-word queries without accents, as a clerk types them, and the accented words a naive scan needs.
const queries: Array<[folded: string, accented: string[]]> = [
  ['ngan sach', ['ngân', 'sách']],
  ['cai cach', ['cải', 'cách']],
  ['chuyen doi', ['chuyển', 'đổi']],
  ['thien tai', ['thiên', 'tai']],
  ['nong thon', ['nông', 'thôn']],
  ['khen thuong', ['khen', 'thưởng']],
  ['dat dai', ['đất', 'đai']],
  ['hoi nghi', ['hội', 'nghị']],
  ['an toan', ['an', 'toàn']],
  ['tuyen dung', ['tuyển', 'dụng']],
];

async function main(): Promise<void> {
  let services: AppServices = openServices({ dataDir, host: 'cli' });
  const existing = services.db.prepare('SELECT count(*) FROM documents').pluck().get() as number;
  if (existing < documents) {
    const start = performance.now();
    await generateDemo(services.db, services.files, { documents: documents - existing, seed: 2020 });
    process.stdout.write(`generated ${documents - existing} documents in ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
  }
  services.close();

  const openTimes: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const start = performance.now();
    const opened = openServices({ dataDir, host: 'cli' });
    openTimes.push(performance.now() - start);
    opened.close();
  }
  const open = { p95: Math.max(...openTimes) };
  services = openServices({ dataDir, host: 'cli' });
  const call = (channel: string, input: unknown) => dispatch(services.handlers, channel, input);
  const total = services.db.prepare('SELECT count(*) FROM documents').pluck().get() as number;

  const list = await timeRuns(200, (i) =>
    call('documents:list', { filters: { direction: 'incoming' }, offset: (i * 7919) % Math.max(1, total - 100), limit: 100 }),
  );
  // 200 distinct two-word queries (no repeat, so no cached count helps).
  const pairs = queries.flatMap(([a], i) => queries.map(([b], j) => (i === j ? null : `${a.split(' ')[0]} ${b.split(' ')[1]}`))).filter(Boolean);
  const distinct = [...queries.map(([q]) => q), ...pairs].slice(0, 200);
  const search = await timeRuns(distinct.length, (i) => call('search:query', { text: distinct[i], limit: 50 }));
  // The naive way: scan every row's metadata and text with LIKE, count the matches, keep the newest 50.
  const naiveStatement = services.db.prepare(
    `SELECT d.id FROM documents d LEFT JOIN document_texts x ON x.document_id = d.id
     WHERE (d.subject || ' ' || coalesce(x.body, '')) LIKE ? AND (d.subject || ' ' || coalesce(x.body, '')) LIKE ?
     ORDER BY d.id DESC`,
  );
  const naive = await timeRuns(20, (i) => {
    const [a, b] = queries[i % queries.length]![1];
    const all = naiveStatement.pluck().all(`%${a}%`, `%${b}%`);
    return { total: all.length, rows: all.slice(0, 50) };
  });
  const typeId = services.db.prepare("SELECT id FROM document_types WHERE name = 'Công văn'").pluck().get() as number;
  const register = await timeRuns(200, (i) =>
    call('incoming:register', {
      senderName: 'Sở Tài chính tỉnh Cao Bằng',
      codeNumber: String(90000 + i),
      codeNotation: 'STC-NS',
      documentDate: '2026-01-05',
      arrivalDate: '2026-01-06',
      typeId,
      subject: `Về việc thẩm định dự toán ngân sách đợt ${i}`,
    }),
  );
  services.close();
  const bytes = ['', '-wal'].reduce((sum, s) => sum + (fs.existsSync(databasePath(dataDir) + s) ? fs.statSync(databasePath(dataDir) + s).size : 0), 0);

  const ratio = naive.p95 / search.p95;
  const lines = [
    `documents: ${total}`,
    `open (quick_check + migrate check): p95 ${ms(open.p95)}`,
    `list page (100 rows, random offset): p50 ${ms(list.p50)}  p95 ${ms(list.p95)}   target ≤ 5 ms`,
    `search, two words without accents: p50 ${ms(search.p50)}  p95 ${ms(search.p95)}   target ≤ 20 ms`,
    `naive LIKE scan (same rows, accented words): p50 ${ms(naive.p50)}  p95 ${ms(naive.p95)}`,
    `search vs naive: ${ratio.toFixed(1)}× faster at p95   target ≥ 50×`,
    `register one incoming document: p50 ${ms(register.p50)}  p95 ${ms(register.p95)}   target ≤ 10 ms`,
    `database size: ${(bytes / 1024 / 1024).toFixed(1)} MiB (${(bytes / total / 1024).toFixed(2)} KiB per document)`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  if (!keep && !process.argv.includes('--data-dir')) fs.rmSync(dataDir, { recursive: true, force: true });
}

await main();
