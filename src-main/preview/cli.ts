/**
 * `node dist/main/src-main/preview/cli.js --data-dir DIR [--port P]`: runs the
 * preview host until SIGINT/SIGTERM and prints the URL to open (token included).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { rendererDir } from '../app/rendererAssets.js';
import { createLogger } from '../log.js';
import { startPreviewHost } from './server.js';

const log = createLogger('preview.cli');

const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, port: { type: 'string', default: '0' } },
  strict: true,
});

const dataDir = values['data-dir'];
const port = Number(values.port);
if (dataDir === undefined || !Number.isInteger(port) || port < 0 || port > 65_535) {
  process.stderr.write('Usage: node dist/main/src-main/preview/cli.js --data-dir DIR [--port P]\n');
  process.exit(2);
}
if (!existsSync(path.join(rendererDir, 'index.html'))) {
  log.warn('renderer not built; run `npm run build`', { rendererDir });
}

// Like the app: once the exchange server is configured, a sync round every minute.
const host = await startPreviewHost({ dataDir: path.resolve(dataDir), port, services: { sync: { autoStartMs: 60_000 } } });
process.stdout.write(`Preview: ${host.url}\n`);

const stop = (): void => {
  host.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
