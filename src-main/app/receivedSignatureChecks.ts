/**
 * The signature checks of received documents, run in the background by the app's sync
 * controller after each round (sync/receivedSignatures.ts does the work), with the
 * trust store and cached CRLs `signing:verify` uses offline.
 */
import type { Db } from '../store/database.js';
import type { FileStore } from '../store/fileStore.js';
import { createLogger } from '../log.js';
import { verifyPdf } from '../signing/verify.js';
import { documentsToVerify, requeueAfterTrustChange, trustFingerprint, verifyReceivedDocuments } from '../sync/receivedSignatures.js';
import { trustSourcesStamp } from '../signing/trust.js';
import { appTrustSources, offlineVerifyOptions, type SigningOptions } from './signingHandlers.js';

const log = createLogger('app.sync');

export interface ReceivedSignatureOptions {
  trust?: SigningOptions['trust'];
  now?: () => Date;
  /** Documents verified per run before the next run is chained (default 50). */
  limit?: number;
}

/**
 * Runs the signature checks of received documents in the background: one run at a time;
 * a request during a run makes one more run after it. The trust store is read at the start
 * of a run that has something to verify (anchors or CRLs added meanwhile count).
 */
export class ReceivedSignatureChecks {
  private running: Promise<number> | null = null;
  private again = false;
  private stopped = false;
  /** The trust sources' stamp when the store was last loaded (null: not yet in this run of the app). */
  private trustStamp: string | null = null;

  constructor(
    private readonly db: Db,
    private readonly files: FileStore,
    private readonly dataDir: string,
    private readonly options: ReceivedSignatureOptions = {},
  ) {}

  /** A run is under way (the UI then polls the state often, to show the verdicts as they come). */
  get busy(): boolean {
    return this.running !== null;
  }

  /** Starts a run (or asks for one more after the current one); resolves with the verdicts written once the runs end. */
  request(): Promise<number> {
    if (!this.db.open) return Promise.resolve(0);
    this.stopped = false;
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.runs().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runs(): Promise<number> {
    const limit = this.options.limit ?? 50;
    let total = 0;
    do {
      this.again = false;
      try {
        if (!this.db.open) break;
        // Nothing queued and the trust folders as they were: nothing to load or verify (most rounds).
        const stamp = trustSourcesStamp(appTrustSources(this.dataDir, this.options));
        if (stamp === this.trustStamp && documentsToVerify(this.db, 1).length === 0) break;
        const verifyOptions = offlineVerifyOptions(this.dataDir, this.options);
        const requeued = requeueAfterTrustChange(this.db, trustFingerprint(verifyOptions.trust));
        this.trustStamp = stamp;
        if (requeued > 0) log.info('trust store changed: received documents that could not be judged are checked again', { documents: requeued });
        if (documentsToVerify(this.db, 1).length === 0) break;
        const written = await verifyReceivedDocuments(this.db, this.files, {
          verify: (file) => verifyPdf(file, verifyOptions),
          limit,
          now: this.options.now,
          shouldStop: () => this.stopped,
        });
        total += written;
        if (written >= limit) this.again = true;
      } catch (error) {
        // (the store closed under the run, the trust folders unreadable…): the next round tries again
        log.error('signature checks of received documents stopped', { error: error instanceof Error ? error.message : String(error) });
        break;
      }
    } while (this.again && !this.stopped);
    return total;
  }

  /** Ends the run after the document being verified (nothing half written), waiting for it at most `waitMs`. */
  async stop(waitMs = 5000): Promise<void> {
    this.stopped = true;
    const running = this.running;
    if (!running || waitMs <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([running.catch(() => 0), new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    if (timer) clearTimeout(timer);
  }
}

