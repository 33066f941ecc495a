/**
 * Moving attachments decoded by the streaming reader into the content-addressed file
 * store with the store's guarantees (whole or absent under the final name, durable
 * before the database row that names them is committed), with fewer and parallel
 * flushes: each file is fsynced as soon as it is decoded (off the main thread, while
 * other packages download and parse), then a group's files are renamed into place and
 * each directory they went into is fsynced once for the group.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { FileStore } from '../store/fileStore.js';

const zeroHash = '0'.repeat(64);

/** `<files>/.incoming`: decoded attachments wait here (same file system as the store). */
export function incomingDir(files: FileStore): string {
  const root = path.dirname(path.dirname(files.pathOf(zeroHash)));
  const dir = path.join(root, '.incoming');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Removes decoded attachments left by a process that stopped before using them. */
export function cleanIncoming(dir: string, olderThanMs = 3600_000): void {
  const limit = Date.now() - olderThanMs;
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.tmp')) continue;
    const file = path.join(dir, f);
    try {
      if (fs.statSync(file).mtimeMs < limit) fs.rmSync(file, { force: true });
    } catch {
      // gone already
    }
  }
}

/** Flushes a file's data to disk (libuv thread pool, so the main thread goes on). */
export async function fsyncFile(file: string): Promise<void> {
  const handle = await fsp.open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // directories cannot be fsynced on Windows
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Renames fsynced temporary files to their content address and fsyncs every directory
 * that received one. A file already in the store is kept and the temporary one removed.
 */
export async function adoptFiles(files: FileStore, entries: ReadonlyArray<{ file: string; sha256: string }>): Promise<void> {
  const dirs = new Set<string>();
  for (const e of entries) {
    const target = files.pathOf(e.sha256);
    const dir = path.dirname(target);
    // Added even when the file is there already: it may have been renamed by a process
    // that stopped before flushing the directory.
    dirs.add(dir);
    if (fs.existsSync(target)) {
      fs.rmSync(e.file, { force: true });
      continue;
    }
    if (fs.mkdirSync(dir, { recursive: true }) !== undefined) dirs.add(path.dirname(dir));
    fs.renameSync(e.file, target);
  }
  await Promise.all([...dirs].map((d) => fsyncDirectory(d)));
}
