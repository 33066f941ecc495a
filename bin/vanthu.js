#!/usr/bin/env node
// The `vanthu` command: runs the compiled CLI (npm run build:main makes it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/main/src-main/cli/vanthu.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('vanthu: not built yet; run `npm run build` first\n');
  process.exit(2);
}
const { main } = await import(cli);
process.exitCode = await main(process.argv.slice(2));
