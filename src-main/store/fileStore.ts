/**
 * Content-addressed file store: files/<first two hex>/<sha256>. A file is written
 * to a temporary name, fsynced, then renamed, so a crash leaves either the whole
 * file or nothing under its final name. Identical files are stored once.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../api/errors.js';
import { writeFileAtomically } from './atomicFile.js';

export class FileStore {
  constructor(private readonly root: string) {}

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new AppError('INVALID_INPUT', 'Bad file hash');
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  /** Stores the bytes; returns their SHA-256 (hex). */
  put(bytes: Uint8Array): string {
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    const target = this.pathOf(sha256);
    if (fs.existsSync(target)) return sha256;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    writeFileAtomically(target, bytes);
    return sha256;
  }

  read(sha256: string): Buffer {
    const file = this.pathOf(sha256);
    if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', 'File not in store');
    return fs.readFileSync(file);
  }

  has(sha256: string): boolean {
    return fs.existsSync(this.pathOf(sha256));
  }
}
