/**
 * Parsing received packages off the main thread. One worker thread (receiveWorker.ts)
 * runs the streaming edXML reader on each downloaded package (its part file, or its
 * bytes when it was small enough to be fetched into memory); when the worker cannot be
 * started (no built worker file next to this module, as under the test runner's TS
 * sources, or a host without worker threads) the same function runs in-process.
 *
 * Answers tell a refused package (its reason goes into the delivery's "invalid" record
 * and a `fail` ack) from a local failure (disk, permissions: the round stops and the
 * delivery is tried again later), exactly as the in-memory path did.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../api/errors.js';
import { parsePackage, type PackageSource, type StreamedParse } from '../edxml/streamReader.js';
import { createLogger } from '../log.js';

const log = createLogger('sync');

export interface ReadRequest {
  id: number;
  /** The downloaded package: its part file, or its bytes (moved to the worker, not copied). */
  source: PackageSource;
  tempDir: string;
  /** "Now" for the not-in-the-future rules, epoch ms. */
  nowMs: number;
}

export type ReadAnswer =
  | { id: number; ok: true; parsed: StreamedParse }
  | { id: number; ok: false; refused: string }
  | { id: number; ok: false; failed: string };

export function readReceivedFile(request: ReadRequest): ReadAnswer {
  try {
    return { id: request.id, ok: true, parsed: parsePackage(request.source, { now: new Date(request.nowMs), tempDir: request.tempDir }) };
  } catch (error) {
    if (error instanceof AppError && (error.code === 'INVALID_INPUT' || error.code === 'FILE_TOO_LARGE')) return { id: request.id, ok: false, refused: error.message };
    return { id: request.id, ok: false, failed: error instanceof Error ? error.message : String(error) };
  }
}

export class ReceivePool {
  private worker: Worker | null = null;
  private broken = false;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (a: ReadAnswer) => void; reject: (e: Error) => void }>();

  /** Reads one package; resolves with the answer (never rejects for a bad package). */
  read(source: PackageSource, tempDir: string, now: Date): Promise<ReadAnswer> {
    const request: ReadRequest = { id: this.nextId++, source, tempDir, nowMs: now.getTime() };
    const worker = this.ensureWorker();
    if (!worker) return Promise.resolve(readReceivedFile(request));
    return new Promise<ReadAnswer>((resolve, reject) => {
      this.waiting.set(request.id, { resolve, reject });
      // Held while it works, so a process waiting only for an answer does not exit.
      worker.ref();
      const bytes = 'bytes' in source ? source.bytes : null;
      // Moved when the bytes own their whole buffer (a download assembled for this), copied otherwise.
      const movable = bytes !== null && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
      worker.postMessage(request, movable ? [bytes.buffer as ArrayBuffer] : []);
    });
  }

  private ensureWorker(): Worker | null {
    if (this.worker || this.broken) return this.worker;
    const script = fileURLToPath(new URL('./receiveWorker.js', import.meta.url));
    if (!fs.existsSync(script)) {
      this.broken = true;
      return null;
    }
    try {
      const worker = new Worker(script);
      worker.unref();
      worker.on('message', (answer: ReadAnswer) => {
        const w = this.waiting.get(answer.id);
        this.waiting.delete(answer.id);
        if (this.waiting.size === 0) worker.unref();
        w?.resolve(answer);
      });
      const fail = (error: Error): void => {
        log.warn('receive worker stopped', { message: error.message });
        this.worker = null;
        for (const w of this.waiting.values()) w.reject(error);
        this.waiting.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (this.worker === worker) fail(new Error(`receive worker exited (${code})`));
      });
      this.worker = worker;
    } catch (error) {
      log.warn('receive worker unavailable, parsing in-process', { message: error instanceof Error ? error.message : String(error) });
      this.broken = true;
    }
    return this.worker;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
