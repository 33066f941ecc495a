/**
 * The command line of every `vanthu` / `vanthu-server` command: node's parseArgs with
 * positionals and strict options; a mistake is written with the command's usage and
 * answered null (the caller exits with 2).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandLine<O extends Options>(argv: string[], options: O, usage: string, write: (text: string) => void) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (error) {
    write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    return null;
  }
}
