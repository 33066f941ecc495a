/**
 * Token service, app side: talks to the token worker process, bounds every call
 * with a timeout, restarts the worker when a call is abandoned or the worker dies,
 * serialises signing (one operation at a time) and polls for token insertion and
 * removal. The caller shows the user what happened from the error `reason`.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../api/errors.js';
import { createLogger } from '../../log.js';
import { certParts } from '../der.js';
import type { KeyType } from '../cms.js';
import type { PdfSigner } from '../pades.js';
import type { SignResponse, TokenCertificate, TokenInfo, WorkerCall, WorkerRequest, WorkerResponse } from './protocol.js';
import { forkWorker, type WorkerLauncher, type WorkerProcess } from './workerProcess.js';

const log = createLogger('signing.token-service');

export interface TokenServiceOptions {
  modules: string[];
  /** compiled worker entry (default: worker.js beside this file) */
  workerPath?: string;
  /** bound for list/init calls (ms) */
  callTimeoutMs?: number;
  /** bound for a signing call — a token may wait for a button press (ms) */
  signTimeoutMs?: number;
  /** poll interval for insertion/removal (ms); 0 = no polling */
  pollMs?: number;
  /** re-initialise modules on every poll (drivers that only see new slots after C_Initialize) */
  reinitializeOnPoll?: boolean;
  env?: NodeJS.ProcessEnv;
  /** how the worker process is started (default: child_process.fork; Electron: utilityProcess) */
  launch?: WorkerLauncher;
}

type WorkerOp = WorkerRequest['op'];

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  timer: NodeJS.Timeout;
  op: WorkerOp;
}

export function defaultWorkerPath(): string {
  return fileURLToPath(new URL('./worker.js', import.meta.url));
}

export class TokenService extends EventEmitter {
  private child: WorkerProcess | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private signing: Promise<unknown> = Promise.resolve();
  private pollTimer: NodeJS.Timeout | undefined;
  private lastSeen = '';
  private closed = false;
  restarts = 0;

  constructor(private readonly options: TokenServiceOptions) {
    super();
  }

  private get callTimeout(): number {
    return this.options.callTimeoutMs ?? 15_000;
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const workerPath = this.options.workerPath ?? defaultWorkerPath();
    if (!fs.existsSync(workerPath)) throw new AppError('SETUP_REQUIRED', 'Token worker not built', { reason: 'WORKER_MISSING', workerPath });
    const launch = this.options.launch ?? forkWorker;
    const child = launch(workerPath, ['--vanthu-token-worker'], this.options.env ?? process.env);
    this.child = child;
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new AppError('INTERNAL', 'The token service did not start', { reason: 'TOKEN_SERVICE_TIMEOUT' }));
        this.kill('start timeout');
      }, this.callTimeout);
      let started = false;
      child.onMessage(() => {
        if (started) return;
        started = true;
        clearTimeout(timer);
        resolve();
      });
      child.onExit(() => {
        clearTimeout(timer);
        reject(new AppError('INTERNAL', 'The token service stopped', { reason: 'TOKEN_SERVICE_CRASHED' }));
      });
    });
    child.onMessage((raw: unknown) => {
      const msg = raw as WorkerResponse;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new AppError(msg.error.code, msg.error.message, msg.error.details));
    });
    child.onExit((code, signal) => {
      if (this.child !== child) return;
      log.warn('token worker exited', { code, signal });
      this.child = undefined;
      this.ready = undefined;
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new AppError('INTERNAL', 'The token service stopped; it will be restarted', { reason: 'TOKEN_SERVICE_CRASHED', op: p.op }));
        this.pending.delete(id);
      }
    });
    const ready = this.ready.then(async () => {
      await this.rawCall({ op: 'init', modules: this.options.modules }, this.callTimeout);
    });
    ready.catch(() => undefined);
    this.ready = ready;
    return ready;
  }

  private kill(why: string): void {
    const child = this.child;
    if (!child) return;
    log.warn('restarting token worker', { why });
    this.child = undefined;
    this.ready = undefined;
    this.restarts += 1;
    this.emit('restarted', { why });
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new AppError('INTERNAL', 'The token did not answer in time; the token service was restarted', { reason: 'TOKEN_TIMEOUT', op: p.op }));
      this.pending.delete(id);
    }
    child.kill();
  }

  private rawCall(message: WorkerCall, timeoutMs: number): Promise<unknown> {
    const child = this.child;
    if (!child?.alive) return Promise.reject(new AppError('INTERNAL', 'The token service is not running', { reason: 'TOKEN_SERVICE_CRASHED' }));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // abandon the call: the worker is stuck in a vendor module; start afresh next time
        this.pending.delete(id);
        reject(new AppError('INTERNAL', 'The token did not answer in time; the token service was restarted', { reason: 'TOKEN_TIMEOUT', op: message.op }));
        this.kill(`${message.op} timed out`);
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer, op: message.op });
      child.send({ ...message, id } as WorkerRequest);
    });
  }

  private async call(message: WorkerCall, timeoutMs = this.callTimeout): Promise<unknown> {
    if (this.closed) throw new AppError('INTERNAL', 'Token service closed', { reason: 'TOKEN_SERVICE_CLOSED' });
    await this.start();
    return this.rawCall(message, timeoutMs);
  }

  async listTokens(options: { reinitialize?: boolean } = {}): Promise<TokenInfo[]> {
    return (await this.call({ op: 'list', reinitialize: options.reinitialize === true })) as TokenInfo[];
  }

  /** Signs with the key behind a certificate. One signing operation at a time. */
  sign(request: { module: string; tokenSerial: string; tokenLabel?: string; certId: string; pin: string; data: Buffer }): Promise<SignResponse> {
    const run = async (): Promise<SignResponse> => {
      const value = (await this.call(
        { op: 'sign', request: { ...request, data: request.data.toString('base64') } },
        this.options.signTimeoutMs ?? 60_000,
      )) as SignResponse;
      return value;
    };
    const next = this.signing.then(run, run);
    this.signing = next.catch(() => undefined);
    return next;
  }

  /** Starts polling; emits 'tokens' with the list whenever tokens appear or disappear. */
  watch(): void {
    const ms = this.options.pollMs ?? 2000;
    if (ms <= 0 || this.pollTimer) return;
    const tick = async (): Promise<void> => {
      try {
        const tokens = await this.listTokens({ reinitialize: this.options.reinitializeOnPoll });
        const key = tokens.map((t) => `${t.module}|${t.serial}|${t.certificates.length}`).sort().join(';');
        if (key !== this.lastSeen) {
          this.lastSeen = key;
          this.emit('tokens', tokens);
        }
      } catch (error) {
        this.emit('error-report', error);
      }
      if (!this.closed) this.pollTimer = setTimeout(() => void tick(), ms);
    };
    this.pollTimer = setTimeout(() => void tick(), 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (child) {
      const exited = new Promise<void>((resolve) => child.onExit(() => resolve()));
      child.stop();
      const t = setTimeout(() => child.kill(), 2000);
      await exited;
      clearTimeout(t);
    }
  }
}

/** A PdfSigner over a token certificate: the PIN lives in this closure for one signature only. */
export function tokenSigner(
  service: TokenService,
  token: Pick<TokenInfo, 'module' | 'serial' | 'label'>,
  cert: Pick<TokenCertificate, 'id' | 'der'>,
  pin: string,
  chain: Buffer[],
): PdfSigner {
  const der = Buffer.from(cert.der, 'base64');
  const spkiAlg = certParts(der).spki.includes(Buffer.from('2a8648ce3d0201', 'hex')) ? 'ec' : 'rsa';
  let used = false;
  return {
    certificate: der,
    chain,
    keyType: spkiAlg as KeyType,
    async sign(data: Buffer): Promise<Buffer> {
      if (used) throw new AppError('INTERNAL', 'A PIN is used for one signature only', { reason: 'PIN_REUSE' });
      used = true;
      const r = await service.sign({ module: token.module, tokenSerial: token.serial, tokenLabel: token.label, certId: cert.id, pin, data });
      return Buffer.from(r.signature, 'base64');
    },
  };
}
