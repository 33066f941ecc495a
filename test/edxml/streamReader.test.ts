/**
 * The streaming reader (packages read from disk, payloads decoded to files) gives the
 * same answer as the DOM reader: same package, same attachment bytes, same refusal
 * (code and message) for every case of the hostile corpus, whatever the chunk size.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/api/errors.js';
import { buildEdxml, buildStatus, parseAny, type EdxmlLimits } from '../../src-main/edxml/index.js';
import { parsePackage, parsePackageFile, type StreamedParse } from '../../src-main/edxml/streamReader.js';
import { newPackage, replacePackage, statusMessage, testNow } from './fixtures.js';
import { hostileCorpus } from './hostileCorpus.js';
import { skeletonXml } from './skeleton.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function workDir(): { dir: string; tmp: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vanthu-edxml-stream-'));
  dirs.push(dir);
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp);
  return { dir, tmp };
}

/** Reads `bytes` from a file (in chunks of `chunkBytes`), or from memory when `chunkBytes` is 'memory'. */
function streamed(bytes: Uint8Array, options: { limits?: Partial<EdxmlLimits>; chunkBytes?: number | 'memory' } = {}) {
  const { dir, tmp } = workDir();
  const file = path.join(dir, 'package.edxml');
  fs.writeFileSync(file, bytes);
  let reader: 'stream' | 'dom' | null = null;
  let result: StreamedParse | undefined;
  let error: unknown;
  try {
    const common = { ...options.limits, now: testNow, tempDir: tmp, onReader: (r: 'stream' | 'dom') => (reader = r) };
    result =
      options.chunkBytes === 'memory'
        ? parsePackage({ bytes: new Uint8Array(bytes) }, common)
        : parsePackageFile(file, { ...common, chunkBytes: options.chunkBytes });
  } catch (e) {
    error = e;
  }
  return { result, error, reader, leftovers: fs.readdirSync(tmp).filter((f) => !(result?.kind === 'document' && result.document.attachments.some((a) => path.basename(a.file) === f))) };
}

/** The streamed result with each file read back into `bytes`, for comparing with parseAny. */
function materialised(result: StreamedParse | undefined) {
  if (!result || result.kind === 'status') return result;
  return {
    kind: 'document',
    document: {
      ...result.document,
      attachments: result.document.attachments.map(({ file, size, sha256, ...a }) => {
        const bytes = new Uint8Array(fs.readFileSync(file));
        expect(bytes.byteLength).toBe(size);
        expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(sha256);
        return { ...a, bytes };
      }),
    },
  };
}

const chunkSizes = [1024 * 1024, 4096, 61, 7, 'memory'] as const;

describe('streaming edXML reader', () => {
  for (const chunkBytes of chunkSizes) {
    it(`reads packages like the DOM reader (chunks of ${chunkBytes} bytes)`, () => {
      const cases: Uint8Array[] = [
        buildEdxml(newPackage(), { now: testNow }),
        buildEdxml(newPackage(), { now: testNow, zipAttachments: 'non-pdf' }),
        buildEdxml(replacePackage(), { now: testNow }),
        new TextEncoder().encode(skeletonXml()),
        buildStatus(statusMessage()),
      ];
      for (const bytes of cases) {
        const { result, error, reader, leftovers } = streamed(bytes, { chunkBytes });
        expect(error).toBeUndefined();
        expect(reader).toBe('stream');
        expect(materialised(result)).toEqual(parseAny(bytes, { now: testNow }));
        expect(leftovers).toEqual([]);
      }
    });
  }

  it('takes payloads wrapped in CDATA or split by blanks anywhere', () => {
    const xml = skeletonXml();
    const pdfPayload = /(<edXML:ContentTransferEncoded xmlns:edXML="[^"]*">)([A-Za-z0-9+/=]+)(<\/edXML:ContentTransferEncoded>\s*<\/Attachment>\s*<\/AttachmentEncoded>)/;
    const variants = [
      xml.replace(pdfPayload, (_m, a: string, b: string, c: string) => `${a}<![CDATA[${b}]]>${c}`),
      xml.replace(pdfPayload, (_m, a: string, b: string, c: string) => `${a}\n  ${b.replace(/(.{5})/g, '$1 \r\n\t')}\n${c}`),
    ];
    for (const v of variants) {
      const bytes = new TextEncoder().encode(v);
      for (const chunkBytes of [9, 13, 1 << 20, 'memory'] as const) {
        const { result, error, reader } = streamed(bytes, { chunkBytes });
        expect(error).toBeUndefined();
        expect(reader).toBe('stream');
        expect(materialised(result)).toEqual(parseAny(bytes, { now: testNow }));
      }
    }
  });

  it('hands unusual layouts (entity references in a payload) to the DOM reader, same answer', () => {
    const xml = skeletonXml().replace(/(<edXML:ContentTransferEncoded xmlns:edXML="[^"]*">)JVBE/, '$1&#74;VBE');
    const bytes = new TextEncoder().encode(xml);
    const { result, error, reader } = streamed(bytes);
    expect(error).toBeUndefined();
    expect(reader).toBe('dom');
    expect(materialised(result)).toEqual(parseAny(bytes, { now: testNow }));
  });

  for (const c of hostileCorpus()) {
    it(`refuses like the DOM reader: ${c.name}`, () => {
      let expected: unknown;
      try {
        parseAny(c.bytes, { ...c.limits, now: testNow });
      } catch (e) {
        expected = e;
      }
      for (const chunkBytes of [1024 * 1024, 11, 'memory'] as const) {
        const before = process.memoryUsage().arrayBuffers;
        const { error, leftovers } = streamed(c.bytes, { limits: c.limits, chunkBytes });
        expect(error).toBeInstanceOf(AppError);
        const e = error as AppError;
        expect({ code: e.code, message: e.message }).toMatchObject({ code: c.code, message: expect.stringMatching(c.message) });
        expect(e.message).toBe((expected as AppError).message);
        expect(leftovers).toEqual([]);
        expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(24 * 1024 * 1024);
      }
    });
  }

  it('stops decoding at the attachment limit and never writes more than the limit', () => {
    const pkg = newPackage();
    const big = buildEdxml({ ...pkg, attachments: [{ contentId: 'x', name: 'a.pdf', contentType: 'application/pdf', bytes: new Uint8Array(3 * 1024 * 1024) }] }, { now: testNow });
    const { error, leftovers } = streamed(big, { limits: { maxAttachmentBytes: 1024 * 1024 }, chunkBytes: 64 * 1024 });
    expect((error as AppError).code).toBe('FILE_TOO_LARGE');
    expect((error as AppError).message).toMatch(/Attachment\[1\]\/ContentTransferEncoded decodes to 3145728 bytes, more than the limit of 1048576/);
    expect(leftovers).toEqual([]);
  });
});
