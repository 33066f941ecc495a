#!/usr/bin/env node
/**
 * `npm start` / `npm run preview`. Builds when dist/ is missing or older than the
 * sources, then launches Electron on the app. When this machine has no Electron
 * binary (it is downloaded by electron's install script, which may be blocked),
 * it tries the download once and otherwise falls back to the PREVIEW HOST: the
 * same UI and handlers served to a local browser. `--preview` goes straight there.
 *
 *   node scripts/start.js [--preview] [--data-dir DIR]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const { values } = parseArgs({
  options: { preview: { type: 'boolean', default: false }, 'data-dir': { type: 'string' } },
  strict: true,
});

const sources = ['src-main', 'src-renderer', 'package.json', 'vite.preload.config.ts', 'vite.renderer.config.ts', 'tsconfig.electron.json'];
const outputs = ['dist/main/src-main/electron/main.js', 'dist/main/src-main/preview/cli.js', 'dist/preload/preload.cjs', 'dist/renderer/index.html'];

function say(english, vietnamese) {
  process.stdout.write(`${english}\n${vietnamese}\n`);
}

/** Newest modification time under `entry` (a file or a folder, recursively). */
function newestMtime(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(entry, { recursive: true, withFileTypes: true })
    .filter((dirent) => dirent.isFile())
    .reduce((newest, dirent) => Math.max(newest, statSync(path.join(dirent.parentPath, dirent.name)).mtimeMs), 0);
}

function buildIfStale() {
  const built = outputs.map((file) => path.join(root, file));
  const oldestOutput = built.every(existsSync) ? Math.min(...built.map((file) => statSync(file).mtimeMs)) : 0;
  const newestSource = Math.max(...sources.map((entry) => newestMtime(path.join(root, entry))));
  if (oldestOutput >= newestSource) return;
  say('Building VanThu Desktop (npm run build)…', 'Đang build VanThu Desktop (npm run build)…');
  const build = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (build.status !== 0) {
    say('Build failed.', 'Build thất bại.');
    process.exit(build.status ?? 1);
  }
}

/**
 * The Electron binary's path, or null. `require('electron')` is the default export
 * of the electron package (it throws when the binary was never downloaded); require,
 * unlike import, does not cache that failure, so this can be asked again after a download.
 */
function electronBinary() {
  try {
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function tryDownloadElectronOnce() {
  say(
    'The Electron binary is not installed on this machine. Trying to download it once (60 s)…',
    'Máy này chưa cài tệp chạy Electron. Đang thử tải về một lần (tối đa 60 giây)…',
  );
  const install = path.join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(install)) return;
  const result = spawnSync(process.execPath, [install], { cwd: root, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) {
    const reason = (result.stderr ?? '').split('\n').find((line) => line.trim()) ?? 'timed out';
    say(`Download failed (${reason.trim()}).`, `Tải về thất bại (${reason.trim()}).`);
  }
}

/** Runs a child in the foreground; this process exits with its status. */
function runForeground(command, args, env) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function startElectron(binary) {
  const env = { ...process.env };
  if (values['data-dir']) env.VANTHU_DATA_DIR = path.resolve(values['data-dir']);
  runForeground(binary, [root], env);
}

function startPreview() {
  const dataDir = path.resolve(values['data-dir'] ?? path.join(os.homedir(), '.vanthu-preview'));
  say(
    `Starting the preview host (data: ${dataDir}). Open the URL below in a browser; Ctrl+C to stop.`,
    `Đang chạy bản xem trước trên trình duyệt (dữ liệu: ${dataDir}). Mở địa chỉ dưới đây; Ctrl+C để dừng.`,
  );
  runForeground(process.execPath, [path.join(root, 'dist/main/src-main/preview/cli.js'), '--data-dir', dataDir], process.env);
}

buildIfStale();
if (values.preview) {
  startPreview();
} else {
  let binary = electronBinary();
  if (binary === null) {
    tryDownloadElectronOnce();
    binary = electronBinary();
  }
  if (binary !== null) {
    startElectron(binary);
  } else {
    say(
      'Electron is not available on this machine: falling back to the browser preview.',
      'Không có Electron trên máy này: chuyển sang bản xem trước trên trình duyệt.',
    );
    startPreview();
  }
}
