/**
 * `vanthu`: the command line over the same services as the app.
 *   vanthu --data-dir DIR demo --documents N
 *   vanthu --data-dir DIR import FILE.pdf --from … --code 12/UBND-VP --date yyyy-MM-dd --type "Công văn" --subject …
 *   vanthu --data-dir DIR search QUERY
 *   vanthu --data-dir DIR registers --year Y [--direction incoming|outgoing]
 *   vanthu --data-dir DIR restore-backup
 *   vanthu --data-dir DIR sync --server URL --user NAME   (password from VANTHU_SYNC_PASSWORD)
 *   vanthu sign FILE --as signer|agency|appendix|copy --module PATH --token LABEL --pin-stdin --out OUT
 *   vanthu number FILE --number 05 --out OUT
 *   vanthu verify FILE [--json]
 * Add --json for machine-readable output. Exit codes: 0 ok, 1 refused, 2 usage.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dispatch } from '../api/dispatch.js';
import type { Result } from '../api/errors.js';
import { openServices } from '../app/services.js';
import { generateDemo } from '../documents/demoData.js';
import { restoreLatestBackup } from '../store/database.js';
import { agencyYear } from '../documents/time.js';
import { numberCommand, signCommand, verifyCommand } from './signCommands.js';
import { syncCommand } from './syncCommand.js';
import { parseCommandLine } from './args.js';

const usage = `Usage: vanthu [--data-dir DIR] [--json] <command>
  demo --documents N               create a demo agency with N documents
  import FILE.pdf --from SENDER --code NUMBER/NOTATION --date yyyy-MM-dd --type TYPE --subject TEXT
                                   register an incoming document (số đến is assigned)
  search QUERY                     full-text search (accents optional)
  registers --year Y [--direction incoming|outgoing]
  restore-backup                   replace a damaged database by the latest backup
  sync --server URL --user NAME    one sync round with the provincial server (password: VANTHU_SYNC_PASSWORD)
  sign FILE --as signer|agency|appendix|copy --module PATH --token LABEL --pin-stdin --out OUT
                                   sign a PDF with a PKCS#11 token (PIN read from standard input)
  number FILE --number 05 --out OUT
                                   write the number into a signed PDF's reserved fields
  verify FILE                      check every signature of a PDF`;

type Subcommand = (argv: string[], write: (text: string) => void) => Promise<number>;

/** Commands with options of their own parse their arguments themselves. */
const subcommands: Record<string, Subcommand> = {
  sync: syncCommand,
  sign: (argv, write) => signCommand(argv, write),
  number: numberCommand,
  verify: verifyCommand,
};

/** The command word: the first argument that is neither an option nor --data-dir's value. */
function commandOf(argv: string[]): { name: string; rest: string[] } | null {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--data-dir') i += 1;
    else if (!arg.startsWith('-')) return { name: arg, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return null;
}

interface Output {
  json: boolean;
  out: (text: string) => void;
}

export async function main(argv: string[], write: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const word = commandOf(argv);
  const subcommand = word ? subcommands[word.name] : undefined;
  if (word && subcommand) return subcommand(word.rest, write);
  const parsed = parseCommandLine(argv, {
    'data-dir': { type: 'string' },
    json: { type: 'boolean', default: false },
    documents: { type: 'string' },
    from: { type: 'string' },
    code: { type: 'string' },
    date: { type: 'string' },
    type: { type: 'string' },
    subject: { type: 'string' },
    year: { type: 'string' },
    direction: { type: 'string' },
    'confirm-duplicate': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  }, usage, write);
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    write(`${usage}\n`);
    return values.help ? 0 : 2;
  }
  const dataDir = values['data-dir'] ?? path.join(os.homedir(), '.vanthu');
  const io: Output = { json: values.json, out: write };
  if (command === 'restore-backup') return report(io, { ok: true, value: restoreLatestBackup(dataDir) }, (v) => `restored ${v.restored}`);
  let services;
  try {
    services = openServices({ dataDir, host: 'cli' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return report(io, { ok: false, error: { code: 'STORE_CORRUPT', message } }, () => '');
  }
  try {
    const call = (channel: string, input: unknown) => dispatch(services.handlers, channel, input);
    switch (command) {
      case 'demo': {
        const count = Number(values.documents ?? '200');
        if (!Number.isInteger(count) || count < 0) return usageError(io, '--documents must be a whole number');
        const made = await generateDemo(services.db, services.files, { documents: count, pdfEvery: 50 });
        return report(io, { ok: true, value: made }, (v) => `created ${v.incoming} incoming and ${v.outgoing} outgoing documents`);
      }
      case 'import':
        return await importPdf(io, rest[0], values, call);
      case 'search': {
        const result = (await call('search:query', { text: rest.join(' '), limit: 20 })) as Result<{
          rows: Array<{ id: number; code: string | null; subject: string; documentDate: string | null }>;
          total: number;
        }>;
        return report(io, result, (v) => [`${v.total} found`, ...v.rows.map((r) => `#${r.id}\t${r.code ?? ''}\t${r.documentDate ?? ''}\t${r.subject}`)].join('\n'));
      }
      case 'registers': {
        const year = Number(values.year ?? agencyYear(new Date()));
        const direction = values.direction ?? 'incoming';
        const result = (await call('registers:list', { direction, year, limit: 500 })) as Result<{
          rows: Array<{ number: string; date: string; party: string; code: string; typeAndSubject: string }>;
          total: number;
        }>;
        return report(io, result, (v) => [`${v.total} in the ${direction} register of ${year}`, ...v.rows.map((r) => `${r.number}\t${r.date}\t${r.code}\t${r.party}\t${r.typeAndSubject}`)].join('\n'));
      }
      default:
        return usageError(io, `unknown command: ${command}`);
    }
  } finally {
    services.close();
  }
}

async function importPdf(
  io: Output,
  file: string | undefined,
  values: Record<string, string | boolean | undefined>,
  call: (channel: string, input: unknown) => Promise<Result<unknown>>,
): Promise<number> {
  if (!file) return usageError(io, 'import needs a PDF file');
  const code = String(values['code'] ?? '');
  const slash = code.indexOf('/');
  if (slash <= 0) return usageError(io, '--code must look like NUMBER/NOTATION, e.g. 12/UBND-VP');
  if (!fs.existsSync(file)) return usageError(io, `no such file: ${file}`);
  const master = (await call('masterData:get', {})) as Result<{ documentTypes: Array<{ id: number; name: string; abbreviation: string | null }> }>;
  if (!master.ok) return report(io, master, () => '');
  const typeName = String(values['type'] ?? 'Công văn').normalize('NFC').toLowerCase();
  const type = master.value.documentTypes.find((t) => t.name.toLowerCase() === typeName || t.abbreviation?.toLowerCase() === typeName);
  if (!type) return usageError(io, `unknown document type: ${String(values['type'])}`);
  const result = (await call('incoming:register', {
    senderName: values['from'],
    codeNumber: code.slice(0, slash),
    codeNotation: code.slice(slash + 1),
    documentDate: values['date'],
    typeId: type.id,
    subject: values['subject'],
    confirmDuplicate: values['confirm-duplicate'] === true,
    file: { name: path.basename(file), dataBase64: fs.readFileSync(file).toString('base64') },
  })) as Result<{ id: number; arrivalNumber: number; code: string }>;
  return report(io, result, (v) => `registered #${v.id}: số đến ${v.arrivalNumber}, ${v.code}`);
}

function usageError(io: Output, message: string): number {
  report(io, { ok: false, error: { code: 'INVALID_INPUT', message } }, () => '');
  return 2;
}

function report<T>(io: Output, result: Result<T>, human: (value: T) => string): number {
  if (io.json) io.out(`${JSON.stringify(result)}\n`);
  else if (result.ok) io.out(`${human(result.value)}\n`);
  else io.out(`error ${result.error.code}: ${result.error.message}${result.error.details ? `\n${JSON.stringify(result.error.details)}` : ''}\n`);
  return result.ok ? 0 : 1;
}
