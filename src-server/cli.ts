/**
 * `vanthu-server`: the reference provincial document server.
 *   node dist/main/src-server/cli.js --data-dir DIR --port P [--fault-latency-ms N] [--fault-error-rate R]
 *        [--fault-reset-rate R] [--fault-truncate-rate R]
 *   node dist/main/src-server/cli.js --data-dir DIR agency add CODE NAME [--parent CODE]
 *   node dist/main/src-server/cli.js --data-dir DIR user add AGENCY USERNAME --role clerk|leader|specialist
 *        --full-name NAME   (password from the environment variable VANTHU_SERVER_PASSWORD, never an argument)
 *   node dist/main/src-server/cli.js --data-dir DIR lease list AGENCY
 *   node dist/main/src-server/cli.js --data-dir DIR lease revoke AGENCY YEAR SERIES   (a PC that cannot release: broken, lost)
 * Binds 127.0.0.1 only. Prints `listening http://127.0.0.1:P` on stdout when ready.
 */
import { pathToFileURL } from 'node:url';
import { startServer } from './server.js';
import { addAgency, addUser, listLeases, openServerDb, revokeLease } from './store.js';
import { parseCommandLine } from '../src-main/cli/args.js';

const usage = `Usage: vanthu-server --data-dir DIR [--port P] [--fault-latency-ms N] [--fault-error-rate R] [--fault-reset-rate R] [--fault-truncate-rate R]
       vanthu-server --data-dir DIR agency add CODE NAME [--parent CODE]
       vanthu-server --data-dir DIR user add AGENCY USERNAME --role clerk|leader|specialist --full-name NAME
                     (password from VANTHU_SERVER_PASSWORD)
       vanthu-server --data-dir DIR lease list AGENCY
       vanthu-server --data-dir DIR lease revoke AGENCY YEAR SERIES`;

export async function serverMain(argv: string[], write: (t: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const parsed = parseCommandLine(argv, {
    'data-dir': { type: 'string' },
    port: { type: 'string', default: '8787' },
    parent: { type: 'string' },
    role: { type: 'string' },
    'full-name': { type: 'string' },
    'fault-latency-ms': { type: 'string' },
    'fault-error-rate': { type: 'string' },
    'fault-reset-rate': { type: 'string' },
    'fault-truncate-rate': { type: 'string' },
    help: { type: 'boolean', default: false },
  }, usage, write);
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  if (values.help) {
    write(`${usage}\n`);
    return 0;
  }
  const dataDir = values['data-dir'];
  if (!dataDir) {
    write(`--data-dir is required\n${usage}\n`);
    return 2;
  }
  const [noun, verb, ...rest] = positionals;
  if (noun === 'agency' && verb === 'add' && rest[0] && rest[1]) {
    const db = openServerDb(dataDir);
    addAgency(db, rest[0], rest[1], values.parent ?? null);
    db.close();
    write(`agency ${rest[0]} saved\n`);
    return 0;
  }
  if (noun === 'user' && verb === 'add' && rest[0] && rest[1]) {
    const role = values.role;
    const password = process.env['VANTHU_SERVER_PASSWORD'];
    if (role !== 'clerk' && role !== 'leader' && role !== 'specialist') {
      write(`--role must be clerk, leader or specialist\n`);
      return 2;
    }
    if (!password || password.length < 8) {
      write(`VANTHU_SERVER_PASSWORD must hold the password (at least 8 characters)\n`);
      return 2;
    }
    const db = openServerDb(dataDir);
    try {
      addUser(db, { agency: rest[0], username: rest[1], fullName: values['full-name'] ?? rest[1], role, password });
    } catch (error) {
      write(`refused: ${error instanceof Error ? error.message : String(error)}\n`);
      db.close();
      return 1;
    }
    db.close();
    write(`user ${rest[1]} of ${rest[0]} saved\n`);
    return 0;
  }
  if (noun === 'lease' && verb === 'list' && rest[0]) {
    const db = openServerDb(dataDir);
    const rows = listLeases(db, rest[0]);
    db.close();
    for (const r of rows) write(`${r.year} ${r.series}: ${r.holder ?? '(server)'}, last number ${r.lastNumber}\n`);
    if (rows.length === 0) write(`no registers for ${rest[0]}\n`);
    return 0;
  }
  if (noun === 'lease' && verb === 'revoke' && rest[0] && rest[1] && rest[2]) {
    const year = Number(rest[1]);
    if (!Number.isInteger(year)) {
      write(`YEAR must be a year\n`);
      return 2;
    }
    const db = openServerDb(dataDir);
    const before = revokeLease(db, rest[0], year, rest[2]);
    db.close();
    if (!before) {
      write(`no register ${rest[2]}/${year} for ${rest[0]}\n`);
      return 1;
    }
    write(
      `register ${rest[2]}/${year} of ${rest[0]} taken back from ${before.holder ?? '(nobody)'}; numbering continues after ${before.lastNumber}. ` +
        `Numbers that PC took without reporting them will be refused if it reports them.\n`,
    );
    return 0;
  }
  if (noun !== undefined) {
    write(`${usage}\n`);
    return 2;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    write(`--port must be 0..65535\n`);
    return 2;
  }
  const rate = (v: string | undefined): number | undefined => (v === undefined ? undefined : Math.min(1, Math.max(0, Number(v))));
  const server = await startServer({
    dataDir,
    port,
    faults: {
      latencyMs: values['fault-latency-ms'] === undefined ? undefined : Number(values['fault-latency-ms']),
      errorRate: rate(values['fault-error-rate']),
      resetRate: rate(values['fault-reset-rate']),
      truncateRate: rate(values['fault-truncate-rate']),
    },
  });
  write(`listening ${server.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  serverMain(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
