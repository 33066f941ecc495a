/**
 * PAdES signing (B-B; B-T with a timestamp callback) as an incremental update.
 *
 * The output is written to a temporary file beside the target: original bytes
 * (streamed and hashed in the same pass), then the update with a zero-filled
 * /Contents; the token signs the signed attributes over that hash; the CMS is
 * written into the placeholder; fsync; rename. Any failure leaves no output file.
 * Memory stays flat whatever the file size.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError, toErrorValue } from '../api/errors.js';
import { createLogger } from '../log.js';
import { signedAttributes, signedData, type KeyType } from './cms.js';
import { changesAfter, findSignatures, signedEnd, type FoundSignature } from './changes.js';
import { PdfDict, PdfRef, dict, name, serialize, textString, type PdfValue } from './pdf/objects.js';
import { PdfFile } from './pdf/reader.js';
import { IncrementalUpdate } from './pdf/writer.js';
import { nameToString } from './der.js';
import { pdfDate, vnIso } from './time.js';
import { requestTimestamp, type TsaOptions } from './tsa.js';
import { verifyWith } from './verify.js';

const log = createLogger('signing.pades');

export interface PdfSigner {
  /** signing certificate, DER */
  certificate: Buffer;
  /** issuing CA certificates (DER), nearest first */
  chain: Buffer[];
  keyType: KeyType;
  /** Signs the DER signed attributes (SHA-256 inside); RSA PKCS#1 v1.5 or DER ECDSA. */
  sign(toBeSigned: Buffer): Promise<Buffer>;
}

export interface VisibleAppearance {
  /** 0-based page index */
  page: number;
  /** [x1 y1 x2 y2] in default user space */
  rect: [number, number, number, number];
  /** Adds the appearance stream (and its resources) and returns its reference. */
  build(update: IncrementalUpdate, width: number, height: number): PdfRef;
}

export interface SignPdfOptions {
  input: string;
  output: string;
  signer: PdfSigner;
  signingTime?: Date;
  fieldName?: string;
  reason?: string;
  location?: string;
  contactInfo?: string;
  appearance?: VisibleAppearance;
  /** Bytes reserved for the CMS (default 16 KB; 32 KB with a timestamp). */
  reserve?: number;
  /** PAdES B-T: the configured RFC 3161 timestamp service. */
  tsa?: TsaOptions;
  /** RFC 3161 by other means: given the SHA-256 of the signature value, returns a TimeStampToken (ContentInfo DER). */
  timestamp?: (signatureDigest: Buffer) => Promise<Buffer>;
  /**
   * The user allowed signing without a timestamp when the TSA cannot be reached
   * (PAdES B-B instead of B-T; the result says so). Otherwise a TSA failure fails
   * the signature and no output file is written.
   */
  allowWithoutTimestamp?: boolean;
  /** More objects in the same update (e.g. the reserved number fields of the signer's signature). */
  extend?: (update: IncrementalUpdate, file: PdfFile, context: { acroFields: PdfValue[]; pageWidgets: PdfValue[]; pageRef: PdfRef }) => void;
  /** Progress 0..1 for the UI. */
  onProgress?: (fraction: number, stage: 'hash' | 'sign' | 'write') => void;
}

export interface SignPdfResult {
  output: string;
  fieldName: string;
  byteRange: [number, number, number, number];
  sha256: string; // of the signed byte ranges
  size: number;
  /** B-T when a signature timestamp went in, else B-B */
  level: 'B-B' | 'B-T';
  /** the timestamp that went in (from `tsa`) */
  timestamp?: { time: string; serial: string; tsa: string };
  /** why there is no timestamp although one was asked for (the user allowed B-B) */
  timestampError?: { reason: string; message: string };
}

const CHUNK = 1 << 20;

/** Refuses files a signature cannot be added to, before the token is touched. */
export function assertSignable(file: PdfFile, existing: FoundSignature[] = findSignatures(file)): void {
  if (file.trailer.has('Encrypt')) throw new AppError('FILE_NOT_PDF', 'Encrypted PDFs cannot be signed here', { reason: 'PDF_ENCRYPTED' });
  const last = existing.at(-1);
  if (last) {
    const report = changesAfter(file, signedEnd(last));
    if (!report.allowed) {
      throw new AppError('CONFLICT', 'The document was changed after its last signature; it will not be signed', {
        reason: 'MODIFIED_AFTER_SIGNATURE',
        changes: report.changes.filter((c) => !c.allowed).map((c) => c.why),
      });
    }
  }
}

export async function signPdf(options: SignPdfOptions): Promise<SignPdfResult> {
  const file = PdfFile.open(options.input);
  const dir = path.dirname(path.resolve(options.output));
  const temp = path.join(dir, `.${path.basename(options.output)}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  const base = file.size;
  let out: fs.promises.FileHandle | undefined;
  let copying: Promise<void> | undefined;
  try {
    const existing = findSignatures(file);
    assertSignable(file, existing);
    // The original bytes go to the temporary file (a kernel copy, or a clone where the
    // file system can) and are flushed to disk while the main thread builds the update
    // and hashes: what is left for the end is the small update and one short fsync.
    copying = fs.promises.copyFile(options.input, temp, fs.constants.COPYFILE_EXCL | fs.constants.COPYFILE_FICLONE).then(async () => {
      const fh = await fs.promises.open(temp, 'r+'); // writable: Windows flushes only those
      try {
        await fh.datasync();
      } finally {
        await fh.close();
      }
    });
    copying.catch(() => undefined);
    const when = options.signingTime ?? new Date();
    const wantsTimestamp = options.tsa !== undefined || options.timestamp !== undefined;
    const reserve = options.reserve ?? (wantsTimestamp ? 32768 : 16384);
    const fieldName = options.fieldName ?? uniqueFieldName(existing.map((s) => s.fieldName));

    // ---- build the update with placeholders
    const update = new IncrementalUpdate(file);
    const sigRef = update.allocate();
    const sigDict =
      `<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached\n` +
      `/ByteRange [0 0000000000 0000000000 0000000000]\n` +
      `/Contents <${'0'.repeat(reserve * 2)}>\n` +
      `/M ${serialize(textString(pdfDate(when))).toString('latin1')}\n` +
      (options.reason ? `/Reason ${serialize(textString(options.reason)).toString('latin1')}\n` : '') +
      (options.location ? `/Location ${serialize(textString(options.location)).toString('latin1')}\n` : '') +
      (options.contactInfo ? `/ContactInfo ${serialize(textString(options.contactInfo)).toString('latin1')}\n` : '') +
      `/Prop_Build <</App <</Name /VanThu.Desktop>>>>>>`;
    update.set(sigRef, Buffer.from(sigDict, 'latin1'));

    const pages = file.pages();
    const pageIndex = options.appearance?.page ?? 0;
    const pageRef = pages[pageIndex];
    if (!pageRef) throw new AppError('INVALID_INPUT', `The document has no page ${pageIndex + 1}`, { reason: 'NO_SUCH_PAGE' });
    const rect = options.appearance?.rect ?? [0, 0, 0, 0];
    const widget = dict({
      Type: name('Annot'),
      Subtype: name('Widget'),
      FT: name('Sig'),
      T: textString(fieldName),
      V: sigRef,
      F: 132, // Print | Locked
      P: pageRef,
      Rect: rect,
    });
    if (options.appearance) {
      const width = Math.abs(rect[2] - rect[0]);
      const height = Math.abs(rect[3] - rect[1]);
      widget.set('AP', dict({ N: options.appearance.build(update, width, height) }));
    }
    const widgetRef = update.add(widget);
    const acroFields: PdfValue[] = [widgetRef];
    const pageWidgets: PdfValue[] = [widgetRef];
    options.extend?.(update, file, { acroFields, pageWidgets, pageRef });
    addToPage(update, file, pageRef, pageWidgets);
    addToAcroForm(update, file, acroFields);
    const built = update.build();

    // ---- locate placeholders, patch /ByteRange
    const sigOffset = built.offsets.get(sigRef.num) ?? 0;
    const bytes = built.bytes;
    const brAt = bytes.indexOf('/ByteRange [', sigOffset, 'latin1') + '/ByteRange '.length;
    const contentsAt = bytes.indexOf('/Contents <', sigOffset, 'latin1') + '/Contents '.length;
    const a = base + contentsAt;
    const b = a + reserve * 2 + 2;
    const total = base + bytes.length;
    const byteRange: [number, number, number, number] = [0, a, b, total - b];
    const brText = `[${byteRange.join(' ')}]`;
    const slot = '[0 0000000000 0000000000 0000000000]'.length;
    if (brText.length > slot) throw new AppError('FILE_TOO_LARGE', 'File too large for a signature byte range', { reason: 'PDF_TOO_LARGE' });
    Buffer.from(brText.padEnd(slot, ' '), 'latin1').copy(bytes, brAt);

    // ---- hash the original from the input (the copy runs meanwhile), then the update
    const hash = crypto.createHash('sha256');
    const input = await fs.promises.open(options.input, 'r');
    try {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(1, base)));
      let done = 0;
      while (done < base) {
        const { bytesRead } = await input.read(chunk, 0, Math.min(chunk.length, base - done), done);
        if (bytesRead === 0) throw new AppError('CONFLICT', 'The input file changed while signing', { reason: 'INPUT_CHANGED' });
        hash.update(chunk.subarray(0, bytesRead));
        done += bytesRead;
        options.onProgress?.((done / total) * 0.9, 'hash');
      }
    } finally {
      await input.close();
    }
    await copying;
    out = await fs.promises.open(temp, 'r+');
    if ((await out.stat()).size !== base) throw new AppError('CONFLICT', 'The input file changed while signing', { reason: 'INPUT_CHANGED' });
    hash.update(bytes.subarray(0, contentsAt));
    hash.update(bytes.subarray(contentsAt + reserve * 2 + 2));
    await out.write(bytes, 0, bytes.length, base);
    const digest = hash.digest();

    // ---- sign
    options.onProgress?.(0.9, 'sign');
    const attrs = signedAttributes(digest, options.signer.certificate);
    const signature = await options.signer.sign(attrs);
    let timestampToken: Buffer | undefined;
    let timestamp: SignPdfResult['timestamp'];
    let timestampError: SignPdfResult['timestampError'];
    if (wantsTimestamp) {
      options.onProgress?.(0.92, 'sign'); // the timestamp is part of the signing step
      const imprint = crypto.createHash('sha256').update(signature).digest();
      try {
        if (options.tsa) {
          const info = await requestTimestamp(options.tsa, imprint, verifyWith);
          timestampToken = info.token;
          timestamp = { time: vnIso(info.time), serial: info.serial, tsa: nameToString(info.tsa.subject) };
        } else if (options.timestamp) timestampToken = await options.timestamp(imprint);
      } catch (error) {
        const value = toErrorValue(error);
        const reason = String((value.details as { reason?: unknown } | undefined)?.reason ?? 'TSA_ERROR');
        if (!options.allowWithoutTimestamp) {
          throw error instanceof AppError ? error : new AppError('INTERNAL', 'The timestamp could not be obtained', { reason });
        }
        log.warn('no timestamp: signing B-B as the user allowed', { reason });
        timestampError = { reason, message: value.message };
      }
    }
    const cms = signedData({
      signedAttrs: attrs,
      signature,
      certificate: options.signer.certificate,
      chain: options.signer.chain,
      keyType: options.signer.keyType,
      timestampToken,
    });
    if (cms.length > reserve) {
      throw new AppError('INTERNAL', 'The signature does not fit the space reserved for it', { reason: 'SIGNATURE_TOO_BIG', need: cms.length, reserved: reserve });
    }
    options.onProgress?.(0.95, 'write');
    const hex = Buffer.from(cms.toString('hex'), 'latin1');
    await out.write(hex, 0, hex.length, a + 1);
    await out.sync();
    await out.close();
    out = undefined;
    fs.renameSync(temp, options.output);
    log.info('signed', { fieldName, size: total });
    options.onProgress?.(1, 'write');
    return { output: options.output, fieldName, byteRange, sha256: digest.toString('hex'), size: total, level: timestampToken ? 'B-T' : 'B-B', timestamp, timestampError };
  } catch (error) {
    if (out) await out.close().catch(() => undefined);
    // the copy may still be running: let it finish (or fail) before removing what it made
    await copying?.catch(() => undefined);
    fs.rmSync(temp, { force: true });
    throw error;
  } finally {
    file.close();
  }
}

function uniqueFieldName(existing: string[]): string {
  for (let i = 1; ; i += 1) {
    const n = `Signature${i}`;
    if (!existing.includes(n)) return n;
  }
}

/** Appends widget references to a page's /Annots (the array object when it is indirect). */
export function addToPage(update: IncrementalUpdate, file: PdfFile, pageRef: PdfRef, widgets: PdfValue[]): void {
  const page = file.dictAt(pageRef)?.clone();
  if (!page) throw new AppError('FILE_NOT_PDF', 'Page object missing', { reason: 'PDF_MALFORMED' });
  const annots = page.get('Annots');
  if (annots instanceof PdfRef) {
    const arr = file.resolve(annots);
    update.set(annots, [...(Array.isArray(arr) ? arr : []), ...widgets]);
  } else {
    page.set('Annots', [...(Array.isArray(annots) ? annots : []), ...widgets]);
    update.set(pageRef, page);
  }
}

/** Adds fields to the AcroForm (creating it when missing) and sets SigFlags 3. */
export function addToAcroForm(update: IncrementalUpdate, file: PdfFile, fields: PdfValue[]): void {
  const rootRef = file.trailer.get('Root');
  if (!(rootRef instanceof PdfRef)) throw new AppError('FILE_NOT_PDF', 'No catalog reference', { reason: 'PDF_MALFORMED' });
  const catalog = file.catalog.clone();
  const acroRaw = catalog.get('AcroForm');
  const acro = (file.dictAt(acroRaw) ?? new PdfDict()).clone();
  const fieldsRaw = acro.get('Fields');
  if (fieldsRaw instanceof PdfRef) {
    const arr = file.resolve(fieldsRaw);
    update.set(fieldsRaw, [...(Array.isArray(arr) ? arr : []), ...fields]);
  } else {
    acro.set('Fields', [...(Array.isArray(fieldsRaw) ? fieldsRaw : []), ...fields]);
  }
  acro.set('SigFlags', 3);
  if (acroRaw instanceof PdfRef) update.set(acroRaw, acro);
  else {
    catalog.set('AcroForm', update.add(acro));
    update.set(rootRef, catalog);
  }
}
