#!/usr/bin/env node
// `vanthu-server --data-dir DIR --port P`: the reference provincial document server
// (development, demos, tests). Runs the compiled server (npm run build:main makes it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/main/src-server/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('vanthu-server: not built yet; run `npm run build` first\n');
  process.exit(2);
}
const { serverMain } = await import(cli);
const code = await serverMain(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
