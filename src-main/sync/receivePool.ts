/**
 * Parsing received packages off the main thread. Worker threads (receiveWorker.ts, one
 * per core but one) run the streaming edXML reader on each downloaded package (its part file, or its
 * bytes when it was small enough to be fetched into memory); when the worker cannot be
 * started (no built worker file next to this module, as under the test runner's TS
 * sources, or a host without worker threads) the same function runs in-process.
 *
 * Answers tell a refused package (its reason goes into the delivery's "invalid" record
 * and a `fail` ack) from a local failure (disk, permissions: the round stops and the
 * delivery is tried again later), exactly as the in-memory path did.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
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
  /** SHA-256 the transport announced, checked here for bytes fetched into memory (off the main thread). */
  expectSha256?: string | null;
}

export type ReadAnswer =
  | { id: number; ok: true; parsed: StreamedParse }
  | { id: number; ok: false; refused: string }
  | { id: number; ok: false; failed: string }
  | { id: number; ok: false; corrupt: string };

export function readReceivedFile(request: ReadRequest): ReadAnswer {
  const { source, expectSha256 } = request;
  if (expectSha256 && 'bytes' in source && crypto.createHash('sha256').update(source.bytes).digest('hex') !== expectSha256) {
    return { id: request.id, ok: false, corrupt: 'Downloaded package does not match its checksum' };
  }
  try {
    return { id: request.id, ok: true, parsed: parsePackage(request.source, { now: new Date(request.nowMs), tempDir: request.tempDir }) };
  } catch (error) {
    if (error instanceof AppError && (error.code === 'INVALID_INPUT' || error.code === 'FILE_TOO_LARGE')) return { id: request.id, ok: false, refused: error.message };
    return { id: request.id, ok: false, failed: error instanceof Error ? error.message : String(error) };
  }
}

/** Capacity steps of the reusable buffers (sizes vary a little from package to package). */
const bufferStep = 256 * 1024;
const spareMaxBytes = 16 * 1024 * 1024;

/** A worker thread and the requests it has not answered yet. */
interface Slot {
  worker: Worker;
  waiting: Map<number, { resolve: (a: ReadAnswer) => void; reject: (e: Error) => void }>;
}

export class ReceivePool {
  private readonly slots: Slot[] = [];
  private broken = false;
  private nextId = 1;
  /**
   * Buffers for packages fetched into memory, reused: one goes to a worker with a
   * request and comes back with the answer, so a pull of thousands of packages neither
   * allocates nor faults in a fresh buffer for each (both are costly, and fragment memory).
   */
  private readonly spare: ArrayBuffer[] = [];
  private readonly owned = new WeakSet<ArrayBuffer>();

  /** `size` worker threads at most, started as the work needs them (default: one per core but one, 1 or 2 — each holds some 40 MB). */
  constructor(private readonly size = Math.min(2, Math.max(1, os.availableParallelism() - 1))) {}

  /** A buffer of `size` bytes to fetch a package into (then handed to `read`). */
  buffer(size: number): Uint8Array {
    const i = this.spare.findIndex((b) => b.byteLength >= size);
    const found = i >= 0 ? this.spare.splice(i, 1)[0] : undefined;
    const ab = found ?? new ArrayBuffer(Math.max(bufferStep, Math.ceil(size / bufferStep) * bufferStep));
    this.owned.add(ab);
    return new Uint8Array(ab, 0, size);
  }

  /** Worker threads running now. */
  get threads(): number {
    return this.slots.length;
  }

  /** Drops the spare buffers (end of a pull). */
  releaseBuffers(): void {
    this.spare.length = 0;
  }

  private recycle(ab: ArrayBuffer | undefined): void {
    // Kept up to 16 buffers and 16 MiB: enough to reuse at the pull's pace, little when packages are large.
    if (ab && this.spare.length < 16 && this.spare.reduce((sum, b) => sum + b.byteLength, ab.byteLength) <= spareMaxBytes) {
      this.owned.add(ab);
      this.spare.push(ab);
    }
  }

  /** Reads one package; resolves with the answer (never rejects for a bad package). */
  read(source: PackageSource, tempDir: string, now: Date, expectSha256: string | null = null): Promise<ReadAnswer> {
    const request: ReadRequest = { id: this.nextId++, source, tempDir, nowMs: now.getTime(), expectSha256 };
    const slot = this.pick();
    const bytes = 'bytes' in source ? source.bytes : null;
    const ours = bytes !== null && bytes.buffer instanceof ArrayBuffer && this.owned.has(bytes.buffer) ? bytes.buffer : null;
    if (!slot) {
      const answer = readReceivedFile(request);
      if (ours) this.recycle(ours);
      return Promise.resolve(answer);
    }
    return new Promise<ReadAnswer>((resolve, reject) => {
      slot.waiting.set(request.id, { resolve, reject });
      // Held while it works, so a process waiting only for an answer does not exit.
      slot.worker.ref();
      // A buffer of ours is moved (and comes back with the answer); other bytes are copied.
      if (ours) this.owned.delete(ours);
      slot.worker.postMessage(request, ours ? [ours] : []);
    });
  }

  /** The least busy worker; another is started while every one has work and there is room. */
  private pick(): Slot | null {
    const idle = this.slots.find((s) => s.waiting.size === 0);
    if (idle) return idle;
    if (this.slots.length < this.size && !this.broken) {
      const started = this.start();
      if (started) return started;
    }
    return this.slots.reduce<Slot | null>((best, s) => (best === null || s.waiting.size < best.waiting.size ? s : best), null);
  }

  private start(): Slot | null {
    const script = fileURLToPath(new URL('./receiveWorker.js', import.meta.url));
    if (!fs.existsSync(script)) {
      this.broken = true;
      return null;
    }
    try {
      // A small young generation: the worker makes much short-lived garbage (Base64 text a
      // slice at a time), which the default (up to 3 × 16 MB semi-spaces) would keep resident.
      const worker = new Worker(script, { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
      worker.unref();
      const slot: Slot = { worker, waiting: new Map() };
      worker.on('message', ({ returned, ...answer }: ReadAnswer & { returned?: ArrayBuffer }) => {
        this.recycle(returned);
        const w = slot.waiting.get(answer.id);
        slot.waiting.delete(answer.id);
        if (slot.waiting.size === 0) worker.unref();
        w?.resolve(answer);
      });
      const fail = (error: Error): void => {
        log.warn('receive worker stopped', { message: error.message });
        const at = this.slots.indexOf(slot);
        if (at >= 0) this.slots.splice(at, 1);
        for (const w of slot.waiting.values()) w.reject(error);
        slot.waiting.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (this.slots.includes(slot)) fail(new Error(`receive worker exited (${code})`));
      });
      this.slots.push(slot);
      return slot;
    } catch (error) {
      log.warn('receive worker unavailable, parsing in-process', { message: error instanceof Error ? error.message : String(error) });
      this.broken = true;
      return null;
    }
  }

  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
