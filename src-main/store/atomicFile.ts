/**
 * Files written whole or not at all: a temporary name in the target's folder, the bytes
 * flushed, a rename, then the folder flushed so the new name survives a power cut too.
 * Used for the content-addressed file store, the remembered sync credential and backups.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Flushes a folder's entries (names added or removed). Windows cannot open a folder for this. */
export function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes `bytes` to `target` atomically and durably; `mode` applies from the first byte (e.g. 0o600). */
export function writeFileAtomically(target: string, bytes: Uint8Array, options: { mode?: number } = {}): void {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx', options.mode ?? 0o666);
  try {
    try {
      fs.writeSync(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  syncDirectory(dir);
}

/** Copies through a temporary file, flushed, then renamed: the target is whole or absent. */
export function copyAtomically(from: string, to: string): void {
  const dir = path.dirname(to);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${to}.tmp-${process.pid}`;
  fs.copyFileSync(from, tmp);
  const fd = fs.openSync(tmp, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, to);
  syncDirectory(dir);
}
